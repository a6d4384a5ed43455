// The children and youth registry as the authorization boundary, against SQLite (label db) and
// PostgreSQL (label pg): every access is decided by the policy and audited in the caller's
// transaction; lists are filtered in SQL; the lockbox withholds without revealing; a
// withdrawal takes effect on the next request; consent records are never edited.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "store/audit_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class PersonStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        const auto east = *repo.create_sda({"east", "Est", "East"}, 0);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        agency_a_ = *repo.create_organisation(org(east, "Agence A", "Agency A", d::CspRole::coordinating_agency), 0);
        agency_b_ = *repo.create_organisation(org(west, "Agence B", "Agency B", d::CspRole::coordinating_agency), 0);
        provider_ = *repo.create_organisation(org(east, "Fournisseur", "Provider", d::CspRole::csp_provider), 0);
        board_ = *repo.create_organisation(org(east, "Conseil scolaire", "School board", d::CspRole::csp_participant), 0);
        intake_a_ = user(repo, "intake.a", agency_a_, d::Role::coordinator);
        intake_b_ = user(repo, "intake.b", agency_b_, d::Role::coordinator);
        privacy_a_ = user(repo, "privacy.a", agency_a_, d::Role::privacy_officer);
        spc_ = user(repo, "spc", provider_, d::Role::coordinator);
        teacher_ = user(repo, "teacher", board_, d::Role::participant_staff);
        tx->commit();
    }
    Database& db() { return *t_->db; }

    static d::Organisation org(std::int64_t sda, const std::string& fr, const std::string& en, d::CspRole role) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = fr;
        o.name_en = en;
        o.sector = d::Sector::childrens_services;
        o.csp_roles = {role};
        return o;
    }
    d::Actor user(IdentityRepo& repo, const std::string& name, std::int64_t org_id, d::Role role) {
        const auto id = *repo.create_user({name + "@test.invalid", name, Lang::en}, 0);
        EXPECT_TRUE(repo.add_membership(id, {org_id, role}, 0));
        return {id, org_id, role};
    }

    static d::Person person(const std::string& given, const std::string& family, const std::string& dob) {
        d::Person p;
        p.given_name = given;
        p.family_name = family;
        p.date_of_birth = *parse_date(dob);
        p.official_language = Lang::fr;
        p.school = "École Démo";
        p.phone = "+1 613-555-0100";
        return p;
    }
    static Registration registration(const std::string& given, const std::string& family, const std::string& dob) {
        Registration r;
        r.person = person(given, family, dob);
        d::FamilyMember m;
        m.given_name = "Parent";
        m.family_name = family;
        m.relationship = d::FamilyRelationship::parent;
        m.is_substitute_decision_maker = true;
        m.phone = "+1 613-555-0101";
        r.family.push_back(m);
        return r;
    }

    // One committed request by `actor`.
    template <typename Fn>
    auto as(const d::Actor& actor, Fn fn) {
        auto tx = db().begin(TxMode::write);
        PersonRepo repo(arrimage::testsupport::AccessForTests::as(*tx, clock_, actor, "req-test"));
        auto out = fn(repo);
        tx->commit();
        return out;
    }
    std::int64_t register_as(const d::Actor& actor, const std::string& given, const std::string& family, const std::string& dob) {
        auto r = as(actor, [&](PersonRepo& repo) { return repo.register_person(registration(given, family, dob)); });
        EXPECT_TRUE(r) << given;
        return r ? r->person_id : 0;
    }
    std::vector<AuditRow> audit_of(std::int64_t person_id) {
        auto tx = db().begin(TxMode::read);
        std::vector<AuditRow> out;
        for (auto& r : testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 10000))
            if (r.person_id == person_id) out.push_back(std::move(r));
        return out;
    }
    std::int64_t count(const std::string& sql) {
        auto tx = db().begin(TxMode::read);
        return tx->query_one(sql)->i64(0);
    }
    // The provider's coordinator assigned, with the family's consent for the provider.
    void assign_with_consent(std::int64_t person_id) {
        as(intake_a_, [&](PersonRepo& repo) {
            EXPECT_TRUE(repo.add_to_team(person_id, spc_.user_id, provider_, d::TeamKind::assigned_coordinator));
            d::ConsentDirective c;
            c.organisations = {provider_};
            for (auto cat : d::consentable_categories()) c.categories.insert(cat);
            c.purposes = {d::Purpose::coordination, d::Purpose::referral};
            c.given_by_name = "Parent";
            c.given_at = clock_.now() - std::chrono::hours(1);
            auto id = repo.record_directive(person_id, c);
            EXPECT_TRUE(id);
            directive_ = id ? *id : 0;
            return 0;
        });
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t agency_a_ = 0, agency_b_ = 0, provider_ = 0, board_ = 0, directive_ = 0;
    d::Actor intake_a_, intake_b_, privacy_a_, spc_, teacher_;
};

TEST_F(PersonStore, RegisteringWritesTheAuditRowInTheSameTransaction) {
    {
        auto tx = db().begin(TxMode::write);
        PersonRepo repo(arrimage::testsupport::AccessForTests::as(*tx, clock_, intake_a_, "req-1"));
        auto r = repo.register_person(registration("Léa", "Demo-Tremblay", "2015-03-07"));
        ASSERT_TRUE(r);
        ASSERT_GT(r->person_id, 0);
        auto rows = testsupport::AuditForTests::rows_after(AuditRepo(*tx, clock_), 0, 100);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].person_id, r->person_id);
        EXPECT_EQ(rows[0].action, "create");
        EXPECT_EQ(rows[0].category, "identity_contact");
        EXPECT_EQ(rows[0].purpose, "referral");
        EXPECT_EQ(rows[0].decision, "permit");
        EXPECT_EQ(rows[0].reason, "referral_intake");
        EXPECT_EQ(rows[0].request_id, "req-1");
        tx->rollback();
    }
    // Rolled back together: neither the file nor its audit row exists.
    EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), 0);

    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    EXPECT_EQ(count("SELECT COUNT(*) FROM family_members"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), 1);
    auto tx = db().begin(TxMode::read);
    auto keys = tx->query_one("SELECT given_key, family_key, search_key FROM people WHERE id = ?", {id});
    EXPECT_EQ(keys->str(0), "lea");
    EXPECT_EQ(keys->str(1), "demotremblay");
    EXPECT_EQ(keys->str(2), " demotremblay demo tremblay lea ");
}

TEST_F(PersonStore, ARepositoryNeedsAWriteTransaction) {
    auto tx = db().begin(TxMode::read);
    EXPECT_THROW(PersonRepo(arrimage::testsupport::AccessForTests::as(*tx, clock_, intake_a_, "req")), std::logic_error);
}

TEST_F(PersonStore, OnlyCoordinatingAgencyStaffRegister) {
    for (const auto& who : {spc_, teacher_, privacy_a_}) {
        auto r = as(who, [&](PersonRepo& repo) { return repo.register_person(registration("Noé", "Demo", "2016-01-02")); });
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::Forbidden);
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 0);
    // Each refusal is audited, permitted or not.
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny' AND action = 'create'"), 3);
    auto no_family = registration("Noé", "Demo", "2016-01-02");
    no_family.family.clear();
    auto r = as(intake_a_, [&](PersonRepo& repo) { return repo.register_person(no_family); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Invalid);
}

TEST_F(PersonStore, ADeniedReadIsAuditedAndReturnsNothing) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    auto r = as(teacher_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);  // no relationship: the same as a file that does not exist
    auto rows = audit_of(id);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].user_id, teacher_.user_id);
    EXPECT_EQ(rows[1].action, "read");
    EXPECT_EQ(rows[1].decision, "deny");
    EXPECT_EQ(rows[1].reason, "no_relationship");
    // Another coordinating agency cannot read it either.
    EXPECT_FALSE(as(intake_b_, [&](PersonRepo& repo) { return repo.read_file(id); }));
    // A file that does not exist answers the same.
    auto missing = as(teacher_, [&](PersonRepo& repo) { return repo.read_file(id + 1000); });
    EXPECT_EQ(missing.error().code, Errc::NotFound);
}

TEST_F(PersonStore, TheAgencyReadsIdentityButNotSchoolAtIntake) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    auto f = as(intake_a_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(f);
    EXPECT_EQ(f->relationship, d::Relationship::coordinating_agency);
    ASSERT_TRUE(f->identity);
    EXPECT_EQ(f->identity->given_name, "Léa");
    EXPECT_EQ(f->identity->date_of_birth, "2015-03-07");
    ASSERT_EQ(f->family.size(), 1u);
    EXPECT_TRUE(f->family[0].is_substitute_decision_maker);
    EXPECT_FALSE(f->school);  // education is not the agency's at intake, and no notice either
    EXPECT_TRUE(f->withheld.empty());
    auto rows = audit_of(id);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].reason, "referral_intake");
    EXPECT_EQ(rows[2].category, "education");
    EXPECT_EQ(rows[2].decision, "deny");
    // The agency's privacy officer reads identity under oversight.
    auto po = as(privacy_a_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(po);
    EXPECT_EQ(po->purpose, d::Purpose::oversight);
    EXPECT_TRUE(po->identity);
}

TEST_F(PersonStore, ListsAreFilteredToTheActorsFiles) {
    const auto a1 = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    const auto a2 = register_as(intake_a_, "Noé", "Demo-Gagnon", "2014-06-01");
    const auto b1 = register_as(intake_b_, "Zoé", "Demo-Roy", "2013-09-09");
    auto ids = [](const std::vector<PersonSummary>& v) {
        std::vector<std::int64_t> out;
        for (const auto& s : v) out.push_back(s.id);
        return out;
    };
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(ids(as(intake_a_, [](PersonRepo& r) { return r.list("", 50); })), (V{a2, a1}));  // Gagnon before Tremblay
    EXPECT_EQ(ids(as(intake_b_, [](PersonRepo& r) { return r.list("", 50); })), (V{b1}));
    EXPECT_TRUE(as(spc_, [](PersonRepo& r) { return r.list("", 50); }).empty());
    EXPECT_TRUE(as(teacher_, [](PersonRepo& r) { return r.list("", 50); }).empty());
    // Search: accents and case ignored, any name word's start.
    EXPECT_EQ(ids(as(intake_a_, [](PersonRepo& r) { return r.list("TREMBL", 50); })), (V{a1}));
    EXPECT_EQ(ids(as(intake_a_, [](PersonRepo& r) { return r.list("noe demo", 50); })), (V{a2}));
    EXPECT_TRUE(as(intake_a_, [](PersonRepo& r) { return r.list("roy", 50); }).empty());
    EXPECT_TRUE(as(intake_a_, [](PersonRepo& r) { return r.list("%", 50); }).size() == 2u);  // no wildcard
    EXPECT_EQ(as(intake_a_, [](PersonRepo& r) { return r.list("", 1, 1); }).size(), 1u);
    // Each listed file is audited; nothing about the other agency's file.
    EXPECT_TRUE(audit_of(b1).size() == 2u);  // its creation and agency B's list
    // Once assigned with consent, the provider's coordinator lists it.
    assign_with_consent(a1);
    auto mine = as(spc_, [](PersonRepo& r) { return r.list("", 50); });
    ASSERT_EQ(ids(mine), (V{a1}));
    EXPECT_EQ(mine[0].relationship, d::Relationship::assigned_coordinator);
    EXPECT_EQ(mine[0].given_name, "Léa");
}

TEST_F(PersonStore, TheLockboxWithholdsACategoryWithANotice) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    auto f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(f);
    EXPECT_EQ(f->school, "École Démo");
    ASSERT_EQ(f->team.size(), 1u);
    EXPECT_EQ(f->team[0].kind, "assigned_coordinator");

    as(intake_a_, [&](PersonRepo& repo) {
        d::LockboxEntry l;
        l.organisation_id = provider_;
        l.category = d::Category::education;
        EXPECT_TRUE(repo.add_lockbox(id, l));
        return 0;
    });
    f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->identity);
    EXPECT_FALSE(f->school);
    EXPECT_EQ(f->withheld, std::vector<d::Category>{d::Category::education});
    auto rows = audit_of(id);
    EXPECT_EQ(rows.back().category, "education");
    EXPECT_EQ(rows.back().decision, "permit_withheld");
    EXPECT_EQ(rows.back().reason, "lockbox");

    // Withholding identity and contact hides the names from lists too, with the notice.
    as(intake_a_, [&](PersonRepo& repo) {
        d::LockboxEntry l;
        l.organisation_id = provider_;
        l.category = d::Category::identity_contact;
        EXPECT_TRUE(repo.add_lockbox(id, l));
        return 0;
    });
    auto list = as(spc_, [](PersonRepo& r) { return r.list("", 50); });
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].withheld);
    EXPECT_TRUE(list[0].given_name.empty());
    EXPECT_TRUE(list[0].date_of_birth.empty());
    f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(f);
    EXPECT_FALSE(f->identity);
    EXPECT_TRUE(f->family.empty());
    // A search by name does not find what is withheld (that would reveal the name).
    EXPECT_TRUE(as(spc_, [](PersonRepo& r) { return r.list("lea", 50); }).empty());
}

TEST_F(PersonStore, AWithdrawalTakesEffectOnTheNextRequest) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    ASSERT_TRUE(as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); }));
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& repo) { return repo.withdraw_directive(id, directive_); }));
    clock_.advance(std::chrono::seconds(1));
    auto r = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Forbidden);
    EXPECT_EQ(audit_of(id).back().reason, "consent_withdrawn");
    EXPECT_TRUE(as(spc_, [](PersonRepo& repo) { return repo.list("", 50); }).empty());
    // The team member cannot keep the consent record: only the assigned coordinator or the agency.
    EXPECT_FALSE(as(teacher_, [&](PersonRepo& repo) { return repo.withdraw_directive(id, directive_); }));
}

TEST_F(PersonStore, ProbableDuplicatesNeedConfirmationAndRevealOnlyWhatTheActorMaySee) {
    const auto first = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    auto again =
        as(intake_a_, [](PersonRepo& repo) { return repo.register_person(registration("LEA", "Demo-Tremblai", "2015-07-03")); });
    ASSERT_TRUE(again);
    EXPECT_EQ(again->person_id, 0);
    ASSERT_EQ(again->duplicates.visible.size(), 1u);
    EXPECT_EQ(again->duplicates.visible[0].id, first);
    EXPECT_EQ(again->duplicates.visible[0].given_name, "Léa");
    EXPECT_EQ(again->duplicates.hidden, 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 1);

    // Another agency learns nothing, not even that a similar file exists elsewhere: the file
    // is opened there (the comparison is still audited on the matching file).
    auto other =
        as(intake_b_, [](PersonRepo& repo) { return repo.register_person(registration("Léa", "Demo-Tremblay", "2015-03-07")); });
    ASSERT_TRUE(other);
    EXPECT_GT(other->person_id, first);
    EXPECT_TRUE(other->duplicates.visible.empty());
    EXPECT_EQ(other->duplicates.hidden, 0);
    EXPECT_EQ(audit_of(first).back().reason, "no_relationship");
    EXPECT_EQ(audit_of(first).back().action, "search");

    // Confirmed as a different person: created.
    auto confirmed = registration("LEA", "Demo-Tremblai", "2015-07-03");
    confirmed.confirmed_distinct = true;
    auto created = as(intake_a_, [&](PersonRepo& repo) { return repo.register_person(confirmed); });
    ASSERT_TRUE(created);
    EXPECT_GT(created->person_id, first);
    // A twin is not a probable duplicate.
    auto twin =
        as(intake_a_, [](PersonRepo& repo) { return repo.register_person(registration("Noé", "Demo-Tremblay", "2015-03-07")); });
    ASSERT_TRUE(twin);
    EXPECT_GT(twin->person_id, 0);
}

TEST_F(PersonStore, AProbableDuplicateTheAgencyMayNotSeeIsStillCounted) {
    const auto first = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(first);
    // The family keeps identity and contact from the agency itself.
    ASSERT_TRUE(as(spc_, [&](PersonRepo& r) {
        return r.add_lockbox(first,
                             d::LockboxForm{std::to_string(agency_a_), "identity_contact", "substitute_decision_maker", ""});
    }));
    auto again =
        as(intake_a_, [](PersonRepo& repo) { return repo.register_person(registration("Léa", "Demo-Tremblay", "2015-03-07")); });
    ASSERT_TRUE(again);
    EXPECT_EQ(again->person_id, 0);
    EXPECT_TRUE(again->duplicates.visible.empty());
    EXPECT_EQ(again->duplicates.hidden, 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 1);
}

TEST_F(PersonStore, ANameSearchIsAuditedAsASearch) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    auto found = as(intake_a_, [](PersonRepo& repo) { return repo.list("lea", 50); });
    ASSERT_EQ(found.size(), 1u);
    auto row = audit_of(id).back();
    EXPECT_EQ(row.action, "search");
    EXPECT_EQ(row.decision, "permit");
    ASSERT_EQ(as(intake_a_, [](PersonRepo& repo) { return repo.list("", 50); }).size(), 1u);
    EXPECT_EQ(audit_of(id).back().action, "list");
    // A query with nothing to search for is a list.
    as(intake_a_, [](PersonRepo& repo) { return repo.list(" -- ", 50); });
    EXPECT_EQ(audit_of(id).back().action, "list");
}

TEST_F(PersonStore, ConsentRecordsAreNeverEditedOrDeleted) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    auto attempt = [&](const std::string& sql) {
        auto tx = db().begin(TxMode::write);
        EXPECT_THROW(tx->exec(sql), DbError) << sql;
    };
    attempt("UPDATE consent_directives SET effect = 'deny'");
    attempt("UPDATE consent_directives SET categories = 'plan'");
    attempt("DELETE FROM consent_directives");
    attempt("DELETE FROM consent_directive_organisations");
    // Withdrawal and review are the columns that may change.
    auto tx = db().begin(TxMode::write);
    EXPECT_EQ(tx->exec("UPDATE consent_directives SET reviewed_at = '2026-11-23T10:00:00Z'"), 1);
    tx->rollback();

    // An amendment is a new version; the old one is withdrawn.
    auto v2 = as(intake_a_, [&](PersonRepo& repo) {
        d::ConsentDirective c;
        c.organisations = {provider_};
        c.categories = {d::Category::identity_contact};
        c.purposes = {d::Purpose::coordination};
        c.given_by_name = "Parent";
        c.given_at = clock_.now();
        return repo.record_directive(id, c, directive_);
    });
    ASSERT_TRUE(v2);
    auto rtx = db().begin(TxMode::read);
    EXPECT_EQ(rtx->query_one("SELECT version FROM consent_directives WHERE id = ?", {*v2})->i64(0), 2);
    EXPECT_FALSE(rtx->query_one("SELECT withdrawn_at FROM consent_directives WHERE id = ?", {directive_})->is_null(0));
}

// ---- consent pages, lockbox and break-the-glass

namespace {

ConsentSubmission provider_consent(std::int64_t provider, std::int64_t decision_maker) {
    ConsentSubmission s;
    s.form.effect = "permit";
    s.form.organisations = {std::to_string(provider)};
    s.form.categories = {"identity_contact", "education"};
    s.form.purposes = {"coordination"};
    s.form.given_by = "substitute_decision_maker";
    s.form.method = "written";
    s.form.given_at = "2026-11-22";
    s.decision_maker = std::to_string(decision_maker);
    return s;
}

}  // namespace

TEST_F(PersonStore, AConsentFormIsValidatedAgainstTheFile) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    const auto sdm = count("SELECT id FROM family_members");
    auto record = [&](const ConsentSubmission& s) {
        return as(intake_a_, [&](PersonRepo& r) { return r.record_consent(id, s); });
    };
    auto fields = [](const Result<std::int64_t>& r) {
        std::vector<std::string> out;
        if (!r && r.error().code == Errc::Invalid)
            for (const auto& f : r.error().fields) out.push_back(f.field + ":" + f.message_key);
        return out;
    };
    using V = std::vector<std::string>;
    auto s = provider_consent(provider_, sdm);
    s.form.given_by = "child_youth";  // Léa is not capable of consenting
    EXPECT_EQ(fields(record(s)), (V{"given_by:consent.substitute_decision_maker_required"}));
    s = provider_consent(provider_, sdm + 100);
    EXPECT_EQ(fields(record(s)), (V{"decision_maker:consent.not_a_substitute_decision_maker"}));
    s = provider_consent(agency_b_, sdm);  // another area's organisation
    EXPECT_EQ(fields(record(s)), (V{"organisations:consent.unknown_organisation"}));
    s = provider_consent(provider_, sdm);
    s.form.method = "verbal";
    EXPECT_EQ(fields(record(s)), (V{"witness_name:consent.witness_required"}));
    s.form.categories.clear();
    s.form.expires_at = "2026-11-01";
    EXPECT_EQ(fields(record(s)), (V{"categories:field.choose_at_least_one", "witness_name:consent.witness_required",
                                    "expires_at:consent.expiry_before_start"}));
    EXPECT_EQ(count("SELECT COUNT(*) FROM consent_directives"), 0);
    const auto audited = count("SELECT COUNT(*) FROM audit_events");

    s = provider_consent(provider_, sdm);
    s.form.method = "verbal";
    s.form.witness_name = "Dana Witness";
    auto v1 = record(s);
    ASSERT_TRUE(v1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), audited + 1);
    auto rec = as(intake_a_, [&](PersonRepo& r) { return r.consent_record(id); });
    ASSERT_TRUE(rec);
    ASSERT_EQ(rec->directives.size(), 1u);
    EXPECT_EQ(rec->directives[0].given_by_name, "Parent Demo-Tremblay");
    EXPECT_EQ(rec->directives[0].witness_name, "Dana Witness");
    EXPECT_EQ(rec->directives[0].organisations, std::vector<std::int64_t>{provider_});
    ASSERT_EQ(rec->substitute_decision_makers.size(), 1u);
    // The same scope again overlaps; amending it makes version 2 and withdraws version 1.
    EXPECT_EQ(fields(record(s)), (V{"organisations:consent.overlaps_existing"}));
    s.supersedes = *v1;
    s.form.purposes = {"coordination", "referral"};
    auto v2 = record(s);
    ASSERT_TRUE(v2);
    rec = as(intake_a_, [&](PersonRepo& r) { return r.consent_record(id); });
    ASSERT_EQ(rec->directives.size(), 2u);
    EXPECT_EQ(rec->directives[0].version, 2);
    EXPECT_EQ(rec->supersedes.at(*v2), *v1);
    EXPECT_TRUE(rec->directives[1].withdrawn_at);
    // Others cannot read or keep the record: 404 without a relationship.
    auto other = as(intake_b_, [&](PersonRepo& r) { return r.consent_record(id); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, Errc::NotFound);
    EXPECT_EQ(as(teacher_, [&](PersonRepo& r) { return r.record_consent(id, s); }).error().code, Errc::NotFound);
}

TEST_F(PersonStore, ConsentExpiresWithTheClock) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    const auto sdm = count("SELECT id FROM family_members");
    ASSERT_TRUE(as(intake_a_,
                   [&](PersonRepo& r) { return r.add_to_team(id, spc_.user_id, provider_, d::TeamKind::assigned_coordinator); }));
    auto s = provider_consent(provider_, sdm);
    s.form.expires_at = "2026-11-23";  // the last day of effect: ends at midnight
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& r) { return r.record_consent(id, s); }));
    ASSERT_TRUE(as(spc_, [&](PersonRepo& r) { return r.read_file(id); }));
    clock_.set(*parse_iso("2026-11-23T23:59:59Z"));
    ASSERT_TRUE(as(spc_, [&](PersonRepo& r) { return r.read_file(id); }));
    clock_.set(*parse_iso("2026-11-24T00:00:00Z"));
    auto r = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Forbidden);
    EXPECT_EQ(audit_of(id).back().reason, "consent_expired");
}

TEST_F(PersonStore, BreakTheGlassReadsOnlyForAWhileAndIsReviewed) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& repo) { return repo.withdraw_directive(id, directive_); }));
    clock_.advance(std::chrono::seconds(1));
    ASSERT_FALSE(as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); }));

    const d::BreakGlassPolicy policy{std::chrono::minutes(60), std::chrono::minutes(240), 10};
    auto open = [&](const d::Actor& who, std::string_view reason) {
        return as(who, [&](PersonRepo& r) { return r.open_break_glass(id, reason, policy); });
    };
    const auto audited = audit_of(id).size();
    EXPECT_EQ(open(spc_, "urgent").error().code, Errc::Invalid);
    EXPECT_EQ(audit_of(id).size(), audited);  // nothing opened: the reason as typed is not an access
    EXPECT_EQ(open(teacher_, "Youth disclosed a plan to run away tonight").error().code, Errc::NotFound);
    EXPECT_EQ(audit_of(id).back().user_id, teacher_.user_id);
    EXPECT_EQ(audit_of(id).back().reason, "no_relationship");
    EXPECT_EQ(open(intake_b_, "Youth disclosed a plan to run away tonight").error().code, Errc::NotFound);
    EXPECT_EQ(audit_of(id).back().user_id, intake_b_.user_id);
    // The privacy officer has a relationship to the file but may not break the glass.
    EXPECT_EQ(open(privacy_a_, "Youth disclosed a plan to run away tonight").error().code, Errc::Forbidden);
    EXPECT_EQ(audit_of(id).back().reason, "role_relationship_not_permitted");
    EXPECT_EQ(audit_of(id).back().decision, "deny");
    EXPECT_EQ(count("SELECT COUNT(*) FROM break_glass_grants"), 0);
    auto grant = open(spc_, "Youth disclosed a plan to run away tonight");
    ASSERT_TRUE(grant);
    // Opening it is itself an access, flagged for review.
    {
        const auto opened = audit_of(id).back();
        EXPECT_EQ(opened.user_id, spc_.user_id);
        EXPECT_EQ(opened.action, "read");
        EXPECT_EQ(opened.decision, "permit");
        EXPECT_EQ(opened.reason, "break_glass");
        EXPECT_TRUE(opened.break_glass);
    }

    auto f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->break_glass);
    EXPECT_EQ(f->identity->given_name, "Léa");
    auto rows = audit_of(id);
    EXPECT_EQ(rows.back().reason, "break_glass");
    EXPECT_TRUE(rows.back().break_glass);
    // Reading only: no change through the glass.
    d::FamilyMember m;
    m.given_name = "Aunt";
    m.family_name = "Demo";
    m.relationship = d::FamilyRelationship::other_caregiver;
    m.phone = "+1 613-555-0199";
    auto add = as(spc_, [&](PersonRepo& repo) { return repo.add_family_member(id, m); });
    ASSERT_FALSE(add);
    EXPECT_EQ(add.error().code, Errc::Forbidden);

    // The privacy officer of the coordinating agency sees it in the queue; no one else.
    EXPECT_EQ(as(intake_a_, [](PersonRepo& r) { return r.break_glass_queue(); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(spc_, [](PersonRepo& r) { return r.break_glass_queue(); }).error().code, Errc::Forbidden);
    auto queue = as(privacy_a_, [](PersonRepo& r) { return r.break_glass_queue(); });
    ASSERT_TRUE(queue);
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ((*queue)[0].grant_id, *grant);
    EXPECT_EQ((*queue)[0].person_id, id);
    EXPECT_EQ((*queue)[0].user_name, "spc");
    EXPECT_EQ((*queue)[0].flagged_accesses, 3);  // the opening, then identity and education, each flagged
    EXPECT_TRUE((*queue)[0].in_effect);
    EXPECT_EQ((*queue)[0].child_name, "Léa Demo-Tremblay");  // identity under oversight
    // When the family keeps identity from the agency, the queue shows the file number only.
    ASSERT_TRUE(as(spc_, [&](PersonRepo& r) {
        return r.add_lockbox(id, d::LockboxForm{std::to_string(agency_a_), "identity_contact", "substitute_decision_maker", ""});
    }));
    queue = as(privacy_a_, [](PersonRepo& r) { return r.break_glass_queue(); });
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_FALSE((*queue)[0].child_name);
    EXPECT_EQ(audit_of(id).back().decision, "permit_withheld");

    // An hour later the grant has expired.
    clock_.advance(std::chrono::minutes(60));
    auto late = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    ASSERT_FALSE(late);
    EXPECT_EQ(audit_of(id).back().reason, "consent_withdrawn");
    EXPECT_FALSE(audit_of(id).back().break_glass);

    EXPECT_EQ(as(privacy_a_, [&](PersonRepo& r) { return r.review_break_glass(*grant, "  "); }).error().code, Errc::Invalid);
    EXPECT_EQ(as(intake_a_, [&](PersonRepo& r) { return r.review_break_glass(*grant, "Fine"); }).error().code, Errc::Forbidden);
    ASSERT_TRUE(as(privacy_a_, [&](PersonRepo& r) { return r.review_break_glass(*grant, "Justified: police were called."); }));
    EXPECT_TRUE(as(privacy_a_, [](PersonRepo& r) { return r.break_glass_queue(); })->empty());
    EXPECT_EQ(as(privacy_a_, [&](PersonRepo& r) { return r.review_break_glass(*grant, "Again"); }).error().code, Errc::NotFound);
    auto tx = db().begin(TxMode::read);
    auto g = tx->query_one("SELECT reviewed_by, review_note FROM break_glass_grants WHERE id = ?", {*grant});
    EXPECT_EQ(g->i64(0), privacy_a_.user_id);
    EXPECT_EQ(g->str(1), "Justified: police were called.");
}

TEST_F(PersonStore, RevokingALockboxEntryRestoresAccess) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    auto add = [&](const d::LockboxForm& form) { return as(intake_a_, [&](PersonRepo& r) { return r.add_lockbox(id, form); }); };
    EXPECT_EQ(add({std::to_string(agency_b_), "education", "child_youth", ""}).error().code, Errc::Invalid);
    auto entry = add({std::to_string(provider_), "education", "substitute_decision_maker", "Family wish"});
    ASSERT_TRUE(entry);
    EXPECT_EQ(add({std::to_string(provider_), "education", "substitute_decision_maker", ""}).error().code, Errc::Invalid);
    auto f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    EXPECT_FALSE(f->school);
    EXPECT_EQ(f->withheld, std::vector<d::Category>{d::Category::education});

    EXPECT_EQ(as(teacher_, [&](PersonRepo& r) { return r.revoke_lockbox(id, *entry); }).error().code, Errc::NotFound);
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& r) { return r.revoke_lockbox(id, *entry); }));
    EXPECT_EQ(as(intake_a_, [&](PersonRepo& r) { return r.revoke_lockbox(id, *entry); }).error().code, Errc::NotFound);
    clock_.advance(std::chrono::seconds(1));
    f = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    EXPECT_EQ(f->school, "École Démo");
    EXPECT_TRUE(f->withheld.empty());
    auto rec = as(intake_a_, [&](PersonRepo& r) { return r.consent_record(id); });
    ASSERT_EQ(rec->lockbox.size(), 1u);
    EXPECT_EQ(rec->lockbox[0].reason, "Family wish");
    EXPECT_TRUE(rec->lockbox[0].revoked_at);
}

// ---- the FHIR API's Patient search: list(Filter), paged by files listed, read in batches

namespace {
std::vector<std::int64_t> ids_of(const std::vector<PersonSummary>& v) {
    std::vector<std::int64_t> out;
    for (const auto& s : v) out.push_back(s.id);
    return out;
}
PersonRepo::Filter born(const std::string& date, PersonRepo::BirthDateBound bound) {
    PersonRepo::Filter f;
    f.birth_date = date;
    f.birth_date_bound = bound;
    return f;
}
}  // namespace

TEST_F(PersonStore, APatientSearchFiltersByBirthDateAndFileNumberAndPagesAcrossARefusedFile) {
    using V = std::vector<std::int64_t>;
    using B = PersonRepo::BirthDateBound;
    // In the list's order (family names); the provider's coordinator is on every team, with the
    // family's consent except on Cote's file, which the policy refuses them.
    const auto a = register_as(intake_a_, "Alix", "Essai-Arsenault", "2012-01-01");
    const auto b = register_as(intake_a_, "Basile", "Essai-Bernier", "2013-05-05");
    const auto c = register_as(intake_a_, "Cyan", "Essai-Cote", "2014-06-06");
    const auto e = register_as(intake_a_, "Eden", "Essai-Dubois", "2015-07-07");
    const auto f = register_as(intake_a_, "Fanny", "Essai-Fortin", "2016-08-08");
    for (auto id : {a, b, e, f}) assign_with_consent(id);
    ASSERT_TRUE(
        as(intake_a_, [&](PersonRepo& r) { return r.add_to_team(c, spc_.user_id, provider_, d::TeamKind::team_member); }));
    const auto agency_sees = [&](const PersonRepo::Filter& filter) {
        return ids_of(as(intake_a_, [&](PersonRepo& r) { return r.list(filter, 50); }));
    };
    const auto spc_sees = [&](const PersonRepo::Filter& filter, int limit, int offset) {
        return ids_of(as(spc_, [&](PersonRepo& r) { return r.list(filter, limit, offset); }));
    };

    // Birth date: on, on or after, on or before.
    EXPECT_EQ(agency_sees(born("2014-06-06", B::on)), (V{c}));
    EXPECT_EQ(agency_sees(born("2014-06-06", B::on_or_after)), (V{c, e, f}));
    EXPECT_EQ(agency_sees(born("2013-05-05", B::on_or_before)), (V{a, b}));
    EXPECT_TRUE(agency_sees(born("2011-01-01", B::on_or_before)).empty());
    EXPECT_EQ(spc_sees(born("2014-06-06", B::on_or_after), 50, 0), (V{e, f}));  // not the refused file
    // A birth-date search is recorded as a search.
    EXPECT_EQ(audit_of(e).back().action, "search");
    // File number, alone or with the other filters; another agency's file is not found.
    PersonRepo::Filter number;
    number.id = e;
    EXPECT_EQ(agency_sees(number), (V{e}));
    number.birth_date = "2015-07-07";
    EXPECT_EQ(agency_sees(number), (V{e}));
    number.birth_date_bound = B::on_or_before;
    number.birth_date = "2014-12-31";
    EXPECT_TRUE(agency_sees(number).empty());
    number = {};
    number.id = e;
    number.query = "eden";
    EXPECT_EQ(agency_sees(number), (V{e}));
    EXPECT_TRUE(ids_of(as(intake_b_, [&](PersonRepo& r) { return r.list(number, 50); })).empty());

    // Pages follow one another across the refused file, without gaps or repeats, whatever the size.
    const PersonRepo::Filter all;
    EXPECT_EQ(spc_sees(all, 50, 0), (V{a, b, e, f}));
    for (int size : {1, 2, 3}) {
        V walked;
        for (int offset = 0; offset < 6; offset += size) {
            const auto page = spc_sees(all, size, offset);
            EXPECT_LE(static_cast<int>(page.size()), size);
            walked.insert(walked.end(), page.begin(), page.end());
        }
        EXPECT_EQ(walked, (V{a, b, e, f})) << "pages of " << size;
    }
    EXPECT_EQ(spc_sees(all, 2, 1), (V{b, e}));
    EXPECT_TRUE(spc_sees(all, 2, 4).empty());
    EXPECT_TRUE(spc_sees(all, 0, 0).empty());

    // Only the files on the page are recorded: those skipped before it are decided, not recorded;
    // the refused file on the way is recorded as a refusal, as a list records it.
    const auto rows_a = audit_of(a).size(), rows_b = audit_of(b).size(), rows_c = audit_of(c).size();
    const auto rows_e = audit_of(e).size(), rows_f = audit_of(f).size();
    EXPECT_EQ(spc_sees(all, 1, 2), (V{e}));
    EXPECT_EQ(audit_of(a).size(), rows_a);
    EXPECT_EQ(audit_of(b).size(), rows_b);
    ASSERT_EQ(audit_of(c).size(), rows_c + 1);
    EXPECT_EQ(audit_of(c).back().decision, "deny");
    ASSERT_EQ(audit_of(e).size(), rows_e + 1);
    EXPECT_EQ(audit_of(e).back().action, "list");
    EXPECT_EQ(audit_of(e).back().decision, "permit");
    EXPECT_EQ(audit_of(f).size(), rows_f);  // the page was full before it: not even read

    // An identity the family keeps from the provider is listed without its names, and not found
    // by a birth date (that would reveal it).
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& r) {
        return r.add_lockbox(f, d::LockboxForm{std::to_string(provider_), "identity_contact", "substitute_decision_maker", ""});
    }));
    const auto listed = as(spc_, [&](PersonRepo& r) { return r.list(all, 50); });
    ASSERT_EQ(ids_of(listed), (V{a, b, e, f}));
    EXPECT_TRUE(listed.back().withheld);
    EXPECT_TRUE(listed.back().date_of_birth.empty());
    EXPECT_EQ(listed.back().coordinating_agency_id, agency_a_);
    EXPECT_EQ(spc_sees(born("2014-06-06", B::on_or_after), 50, 0), (V{e}));
}

TEST_F(PersonStore, APatientSearchReadsMoreMatchesThanOneBatchInOrder) {
    // More files than one batch, written directly (registering each would be slow), with names
    // alike by elevens so that the file number breaks the ties (one such group straddles the
    // first batch's end); every seventh keeps its identity from the agency (listed without names,
    // not found by a birth date).
    const int n = PersonRepo::list_batch + 57;
    struct Made {
        std::string family_key, given_key;
        std::int64_t id;
        bool withheld;
    };
    std::vector<Made> made;
    {
        auto tx = db().begin(TxMode::write);
        const auto sda = tx->query_one("SELECT sda_id FROM organisations WHERE id = ?", {agency_a_})->i64(0);
        const std::string t = "2026-11-01T09:00:00Z";
        for (int i = 0; i < n; ++i) {
            // Inserted out of order: the list's order is the names', not the insertion's.
            const int k = (i * 37) % n;
            const std::string family = "essai" + std::to_string(100 + k / 11);
            const std::string given = k % 3 == 0 ? "alix" : "noa";
            const auto id =
                tx->query_one(
                      "INSERT INTO people (coordinating_agency_id, sda_id, given_name, family_name, date_of_birth, "
                      "official_language, given_key, family_key, search_key, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, 'fr', ?, ?, ?, ?, ?) RETURNING id",
                      {agency_a_, sda, given, family, "2015-01-01", given, family, " " + family + " " + given + " ", t, t})
                    ->i64(0);
            const bool withheld = i % 7 == 0;
            if (withheld)
                tx->exec(
                    "INSERT INTO lockbox_entries (person_id, organisation_id, category, requested_by, reason, created_at, "
                    "created_by) VALUES (?, ?, 'identity_contact', 'substitute_decision_maker', '', ?, ?)",
                    {id, agency_a_, t, intake_a_.user_id});
            made.push_back({family, given, id, withheld});
        }
        tx->commit();
    }
    std::sort(made.begin(), made.end(), [](const Made& x, const Made& y) {
        return std::tie(x.family_key, x.given_key, x.id) < std::tie(y.family_key, y.given_key, y.id);
    });
    std::vector<std::int64_t> every, searchable;
    for (const auto& m : made) {
        every.push_back(m.id);
        if (!m.withheld) searchable.push_back(m.id);
    }
    ASSERT_GT(searchable.size(), static_cast<std::size_t>(PersonRepo::list_batch));

    const auto walk = [&](const PersonRepo::Filter& filter, int size) {
        std::vector<std::int64_t> out;
        for (int offset = 0;; offset += size) {
            const auto page = ids_of(as(intake_a_, [&](PersonRepo& r) { return r.list(filter, size, offset); }));
            EXPECT_LE(static_cast<int>(page.size()), size);
            out.insert(out.end(), page.begin(), page.end());
            if (static_cast<int>(page.size()) < size) return out;
        }
    };
    EXPECT_EQ(walk({}, 100), every);
    EXPECT_EQ(walk({}, 1000), every);
    const auto search = born("2015-01-01", PersonRepo::BirthDateBound::on);
    EXPECT_EQ(walk(search, 90), searchable);
    // A page across the batches' boundary, and what it records: its own files only (and, in a
    // search, the withheld files it passes on its way, as a refused search).
    const int at = PersonRepo::list_batch - 5;
    auto before = count("SELECT COUNT(*) FROM audit_events");
    auto page = ids_of(as(intake_a_, [&](PersonRepo& r) { return r.list(PersonRepo::Filter{}, 20, at); }));
    EXPECT_EQ(page, std::vector<std::int64_t>(every.begin() + at, every.begin() + at + 20));
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), before + 20);
    before = count("SELECT COUNT(*) FROM audit_events");
    page = ids_of(as(intake_a_, [&](PersonRepo& r) { return r.list(search, 20, at); }));
    EXPECT_EQ(page, std::vector<std::int64_t>(searchable.begin() + at, searchable.begin() + at + 20));
    const auto position = [&](std::int64_t id) { return std::find(every.begin(), every.end(), id) - every.begin(); };
    std::int64_t passed = 0;
    for (auto k = position(searchable[at - 1]) + 1; k < position(searchable[at + 19]); ++k)
        if (made[k].withheld) ++passed;
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), before + 20 + passed);
}

// ---- the FHIR API's identity reads, and API clients' service accounts on a team

TEST_F(PersonStore, AnIdentityReadDecidesAndRecordsIdentityAlone) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    assign_with_consent(id);
    const auto rows = audit_of(id).size();
    auto r = as(spc_, [&](PersonRepo& repo) { return repo.read_identity(id); });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->relationship, d::Relationship::assigned_coordinator);
    EXPECT_EQ(r->coordinating_agency_id, agency_a_);
    ASSERT_TRUE(r->identity);
    EXPECT_EQ(r->identity->given_name, "Léa");
    EXPECT_EQ(r->identity->date_of_birth, "2015-03-07");
    ASSERT_EQ(r->family.size(), 1u);
    EXPECT_EQ(r->family[0].family_name, "Demo-Tremblay");
    EXPECT_TRUE(r->team.empty());  // not read
    EXPECT_FALSE(r->school);       // not decided
    EXPECT_TRUE(r->withheld.empty());
    auto after = audit_of(id);
    ASSERT_EQ(after.size(), rows + 1);
    EXPECT_EQ(after.back().category, "identity_contact");
    EXPECT_EQ(after.back().action, "read");
    EXPECT_EQ(after.back().decision, "permit");
    // The file summary still has its school and team.
    auto file = as(spc_, [&](PersonRepo& repo) { return repo.read_file(id); });
    EXPECT_EQ(file->school, "École Démo");
    EXPECT_EQ(file->team.size(), 1u);

    // Refusals as read_file's: no relationship, not found (recorded).
    auto none = as(teacher_, [&](PersonRepo& repo) { return repo.read_identity(id); });
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Errc::NotFound);
    EXPECT_EQ(audit_of(id).back().decision, "deny");
    EXPECT_EQ(as(teacher_, [&](PersonRepo& repo) { return repo.read_identity(id + 1000); }).error().code, Errc::NotFound);

    // Withheld as read_file withholds: nothing of the identity or the family, with the notice.
    ASSERT_TRUE(as(intake_a_, [&](PersonRepo& repo) {
        return repo.add_lockbox(id,
                                d::LockboxForm{std::to_string(provider_), "identity_contact", "substitute_decision_maker", ""});
    }));
    r = as(spc_, [&](PersonRepo& repo) { return repo.read_identity(id); });
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->identity);
    EXPECT_TRUE(r->family.empty());
    EXPECT_EQ(r->withheld, std::vector<d::Category>{d::Category::identity_contact});
    EXPECT_EQ(audit_of(id).back().decision, "permit_withheld");
}

TEST_F(PersonStore, AServiceAccountJoinsATeamOnlyAsATeamMember) {
    const auto id = register_as(intake_a_, "Léa", "Demo-Tremblay", "2015-03-07");
    d::Actor system;
    {
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        system = user(repo, "api-system", provider_, d::Role::participant_staff);
        const std::string t = format_iso(clock_.now());
        tx->exec(
            "INSERT INTO api_clients (client_id, secret_hash, name, organisation_id, user_id, role, scopes, created_at, "
            "created_by, updated_at) VALUES ('essai-client', 'x', 'Essai', ?, ?, 'participant_staff', 'system/Patient.rs', ?, ?, "
            "?)",
            {provider_, system.user_id, t, intake_a_.user_id, t});
        tx->commit();
    }
    auto coordinator = as(intake_a_, [&](PersonRepo& r) {
        return r.add_to_team(id, system.user_id, provider_, d::TeamKind::assigned_coordinator);
    });
    ASSERT_FALSE(coordinator);
    EXPECT_EQ(coordinator.error().code, Errc::Invalid);
    ASSERT_EQ(coordinator.error().fields.size(), 1u);
    EXPECT_EQ(coordinator.error().fields[0].field, "kind");
    EXPECT_EQ(coordinator.error().fields[0].message_key, "people.team.service_account_not_coordinator");
    EXPECT_EQ(count("SELECT COUNT(*) FROM file_team"), 0);
    EXPECT_TRUE(
        as(intake_a_, [&](PersonRepo& r) { return r.add_to_team(id, system.user_id, provider_, d::TeamKind::team_member); }));
    // A person is still assigned as before.
    EXPECT_TRUE(as(intake_a_,
                   [&](PersonRepo& r) { return r.add_to_team(id, spc_.user_id, provider_, d::TeamKind::assigned_coordinator); }));

    // The service account is offered, marked; people are not.
    const auto sda = count("SELECT sda_id FROM organisations WHERE id = " + std::to_string(agency_a_));
    const auto choices = as(intake_a_, [&](PersonRepo& r) { return r.team_choices(sda); });
    int marked = 0;
    for (const auto& c : choices) {
        EXPECT_EQ(c.service_account, c.user_id == system.user_id) << c.display_name;
        marked += c.service_account ? 1 : 0;
    }
    EXPECT_EQ(marked, 1);
}
