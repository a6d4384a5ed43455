#pragma once
// The reminder job (`arrimage reminders`, and every hour in `serve`; docs/NOTIFICATIONS.md):
// system processing over references, organisations and dates, no actor and no child's name.
//   - a referral without an answer (requested or received) after its area's
//     referral_answer_days: one reminder to both sides, the receiving organisation's managers
//     and the sending side's users (store::sending_side_users), then never again for it;
//   - an item of a file past due: to the file's coordinator (first contact, first plan; the link
//     is the file on their caseload), or to the coordinating agency's managers (the intake
//     decision; the link is the intake), once per item and due date;
//   - an agreement's review or expiry coming: store::raise_agreement_reminders
//     (features/agreements/store/agreement_repo.hpp), called by the job beside this one.
// Written in the caller's transaction; a second run the same day adds nothing.
#include <string>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct ReminderRun {
    int referrals = 0;      // referrals reminded about
    int overdue = 0;        // overdue items notified
    int notifications = 0;  // notifications written for both
};

// `email`: false writes the notifications without their emails (the demo data's, whose users'
// addresses go nowhere).
ReminderRun raise_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                            bool email = true);

}  // namespace arrimage::store
