-- The closed loop of every referral (features/referral): inbound referrals (the public form, a
-- professional, a warm referral) and outbound ones, sent from a child's file to a service found
-- in the directory, are one record with one lifecycle (domain::referral_lifecycle), whose
-- states are those of the HL7 SDOH closed loop: requested, received, accepted, declined,
-- waitlisted, in_progress, completed, cancelled.
--
-- An outbound referral has a file (person_id) and no pathway; it holds what the family
-- consented to share with the receiving organisation (shared_categories), its expected date
-- while waitlisted, and when the reminder that it has not been answered was raised.
ALTER TABLE referrals ALTER COLUMN pathway_id DROP NOT NULL;
ALTER TABLE referrals DROP CONSTRAINT referrals_source_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_source_check
    CHECK (source IN ('youth', 'family', 'professional', 'warm_referral', 'phone', 'file'));
ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check
    CHECK (status IN ('requested', 'received', 'accepted', 'declined', 'waitlisted', 'in_progress', 'completed', 'cancelled'));
ALTER TABLE referrals ADD COLUMN shared_categories TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN expected_date TEXT;
ALTER TABLE referrals ADD COLUMN reminded_at TEXT;
ALTER TABLE referrals ADD CONSTRAINT referrals_waitlisted_check CHECK (status <> 'waitlisted' OR expected_date IS NOT NULL);
ALTER TABLE referrals ADD CONSTRAINT referrals_file_check CHECK (source <> 'file' OR person_id IS NOT NULL);
ALTER TABLE referrals ADD CONSTRAINT referrals_pathway_check CHECK (source = 'file' OR pathway_id IS NOT NULL);
CREATE INDEX referrals_file ON referrals (person_id, received_at) WHERE person_id IS NOT NULL;
CREATE INDEX referrals_unanswered ON referrals (status, received_at) WHERE status IN ('requested', 'received');
