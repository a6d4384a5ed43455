// The agreements registry's repository (features/agreements/store/agreement_repo.hpp), against
// SQLite (label db) and PostgreSQL (label pg), on the demo data (the Demo East Region, its
// coordinating agency's administrator, providers and their managers, the ministry's analyst) and
// another area made here. An agreement is recorded as a draft with its reference, parties, scopes
// and first event; its terms change only from the version shown; it moves through the table with
// an event row each time (terminating needs its reason, renewing its new dates, expiring its
// expiry date); an evaluation may set the next review within the expiry; bad input and refusals
// change nothing. Each reader sees what is theirs: the area's administrators all of the area's,
// a provider manager those their organisation is a party to, the analyst every area's; anyone
// else is refused. The reminder job tells the area's administrators once per agreement and date.
// An agreement's documents: added by the area's administrators while it is not closed, stored
// with their size and checksum, listed oldest first, given back byte for byte to whoever reads
// the agreement and under that agreement only; a bad file writes nothing; bytes that no longer
// match their checksum are never served.
// The demo loads agreements of its own (app/demo_agreements.cpp): every count here is of the
// agreements made here.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>

#include "app/demo_data.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/agreements/store/agreement_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

std::vector<std::string> fields_of(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field + ":" + f.message_key);
    return out;
}

std::string describe(const Error& e) {
    std::string out = e.message_key;
    for (const auto& f : fields_of(e)) out += " " + f;
    return out;
}

// The ids of `list` that are in `mine`, in the list's order.
std::vector<std::int64_t> ids_in(const std::vector<AgreementSummary>& list, const std::set<std::int64_t>& mine) {
    std::vector<std::int64_t> out;
    for (const auto& s : list)
        if (mine.count(s.id)) out.push_back(s.id);
    return out;
}

const Catalogue& catalogue() {
    static const Catalogue c = web::load_catalogue();
    return c;
}

}  // namespace

class AgreementStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coordinator_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        manager_ = testsupport::actor_of(*t_->db, "manager1@demo.arrimage.invalid");
        manager2_ = testsupport::actor_of(*t_->db, "manager2@demo.arrimage.invalid");
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        agency_ = admin_.organisation_id;
        prov1_ = manager_.organisation_id;
        prov2_ = manager2_.organisation_id;
        ctc_ = testsupport::actor_of(*t_->db, "manager.ctc@demo.arrimage.invalid").organisation_id;
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisation_csp_roles WHERE organisation_id = ? AND csp_role = "
                         "'coordinating_agency'",
                         {agency_}),
                  1);
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisations WHERE id IN (?, ?, ?) AND sda_id = ?", {prov1_, prov2_, ctc_, sda_}),
                  3);
        today_ = date_of(clock_.now());
    }

    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::string text(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        const auto row = tx->query_one(sql, p);
        return row ? row->str(0) : std::string();
    }
    std::vector<std::string> texts(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        std::vector<std::string> out;
        for (const auto& r : tx->query(sql, p)) out.push_back(r.str(0));
        return out;
    }
    std::vector<std::int64_t> numbers(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        std::vector<std::int64_t> out;
        for (const auto& r : tx->query(sql, p)) out.push_back(r.i64(0));
        return out;
    }
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }
    std::int64_t rows_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM agreements) + (SELECT COUNT(*) FROM agreement_parties) + "
            "(SELECT COUNT(*) FROM agreement_scopes) + (SELECT COUNT(*) FROM agreement_events) + "
            "(SELECT COUNT(*) FROM agreement_evaluations)");
    }

    // One request: the repository for `who` (nullopt: nobody signed in) at `clock`'s time, in a
    // write transaction committed only when the operation succeeded, as the request pipeline
    // rolls back a refused or invalid write.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        AgreementRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
        auto out = f(repo);
        if (out.ok()) tx->commit();
        return out;
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }

    // The day `n` days from today, and a clock at this time of that day.
    std::string day(int n) const { return add_days(today_, n).iso(); }
    ManualClock at(int n) const { return ManualClock(clock_.now() + std::chrono::hours(24 * n)); }

    // A CSP provider agreement with the area's agency and the first provider, in force from 100
    // days ago, reviewed in 60 days, expiring in 400.
    d::AgreementTermsForm form(const std::string& kind, const std::vector<std::int64_t>& parties) const {
        d::AgreementTermsForm f;
        f.title_fr = "Entente de services Démo";
        f.title_en = "Demo service agreement";
        f.kind = kind;
        f.scopes = {"information_sharing", "referral"};
        for (auto p : parties) f.parties.push_back(std::to_string(p));
        f.effective_on = day(-100);
        f.expires_on = day(400);
        f.review_due = day(60);
        f.summary = "The provider answers each referral within ten working days.";
        return f;
    }
    d::AgreementTermsForm form() const { return form("csp_provider", {agency_, prov1_}); }

    std::int64_t create(const d::AgreementTermsForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](AgreementRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << (id ? "" : describe(id.error()));
        return id ? *id : 0;
    }
    // Recorded and activated.
    std::int64_t active(const d::AgreementTermsForm& f) {
        const auto id = create(f);
        auto moved = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::activate, ""); });
        EXPECT_TRUE(moved) << (moved ? "" : describe(moved.error()));
        return id;
    }
    std::string status_of(std::int64_t id) { return text("SELECT status FROM agreements WHERE id = ?", {id}); }

    // Another area with its own coordinating agency, a provider and an administrator.
    void add_other_area() {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        other_sda_ = *ids.create_sda({"other", "Autre zone", "Other area"}, 0);
        d::Organisation o;
        o.sda_id = other_sda_;
        o.name_fr = "Agence de coordination Autre";
        o.name_en = "Other Coordinating Agency";
        o.sector = d::Sector::social_services;
        o.csp_roles = {d::CspRole::coordinating_agency};
        other_agency_ = *ids.create_organisation(o, 0);
        o.name_fr = "Fournisseur Autre";
        o.name_en = "Other Provider";
        o.csp_roles = {d::CspRole::csp_provider};
        other_provider_ = *ids.create_organisation(o, 0);
        const auto user = *ids.create_user({"other.admin@example.org", "Olive Autre-Admin", Lang::fr}, 0);
        ASSERT_TRUE(ids.add_membership(user, {other_agency_, d::Role::ca_admin}, 0));
        tx->commit();
        other_admin_ = {user, other_agency_, d::Role::ca_admin};
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    Date today_;
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coordinator_, analyst_, manager_, manager2_, other_admin_;
    std::int64_t sda_ = 0, agency_ = 0, prov1_ = 0, prov2_ = 0, ctc_ = 0;
    std::int64_t other_sda_ = 0, other_agency_ = 0, other_provider_ = 0;
};

TEST_F(AgreementStore, AnAgreementIsRecordedAsADraftWithItsReferencePartiesScopesAndFirstEvent) {
    auto f = form();
    f.scopes = {"referral", "information_sharing", "referral"};
    f.parties = {std::to_string(prov1_), std::to_string(agency_), std::to_string(prov1_)};
    const auto before = rows_written();
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_EQ(rows_written(), before + 1 + 2 + 2 + 1) << "the agreement, two parties, two scopes, one event";

    const std::string year = format_iso(clock_.now()).substr(0, 4);
    const std::string reference = text("SELECT reference FROM agreements WHERE id = ?", {id});
    EXPECT_TRUE(std::regex_match(reference, std::regex("ENT-" + year + "-[0-9]{4}"))) << reference;
    EXPECT_EQ(status_of(id), "draft");
    EXPECT_EQ(scalar("SELECT version FROM agreements WHERE id = ?", {id}), 1);
    EXPECT_EQ(scalar("SELECT sda_id FROM agreements WHERE id = ?", {id}), sda_);
    EXPECT_EQ(scalar("SELECT created_by FROM agreements WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(text("SELECT kind FROM agreements WHERE id = ?", {id}), "csp_provider");
    EXPECT_EQ(text("SELECT effective_on FROM agreements WHERE id = ?", {id}), day(-100));
    EXPECT_EQ(text("SELECT expires_on FROM agreements WHERE id = ?", {id}), day(400));
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(60));
    std::vector<std::int64_t> parties = {agency_, prov1_};
    std::sort(parties.begin(), parties.end());
    EXPECT_EQ(numbers("SELECT organisation_id FROM agreement_parties WHERE agreement_id = ? ORDER BY 1", {id}), parties);
    EXPECT_EQ(texts("SELECT scope FROM agreement_scopes WHERE agreement_id = ? ORDER BY 1", {id}),
              (std::vector<std::string>{"information_sharing", "referral"}));
    EXPECT_EQ(texts("SELECT event || '/' || status FROM agreement_events WHERE agreement_id = ? ORDER BY id", {id}),
              std::vector<std::string>{"record/draft"});
    EXPECT_EQ(scalar("SELECT user_id FROM agreement_events WHERE agreement_id = ?", {id}), admin_.user_id);

    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record) << describe(record.error());
    EXPECT_EQ(record->summary.reference, reference);
    EXPECT_EQ(record->summary.status, d::AgreementStatus::draft);
    EXPECT_EQ(record->summary.kind, d::AgreementKind::csp_provider);
    EXPECT_EQ(record->summary.area_en, "Demo East Region");
    EXPECT_EQ(record->summary.scopes,
              (std::vector<d::AgreementScope>{d::AgreementScope::referral, d::AgreementScope::information_sharing}));
    ASSERT_EQ(record->summary.parties.size(), 2u);
    EXPECT_EQ(record->summary.parties[0].id, agency_) << "the agency first";
    EXPECT_TRUE(record->summary.parties[0].agency);
    EXPECT_EQ(record->summary.parties[1].id, prov1_);
    EXPECT_FALSE(record->summary.parties[1].agency);
    EXPECT_EQ(record->summary_text, "The provider answers each referral within ten working days.");
    EXPECT_EQ(record->version, 1);
    ASSERT_EQ(record->events.size(), 1u);
    EXPECT_EQ(record->events[0].event, "record");
    EXPECT_EQ(record->events[0].user_name, "Claude Admin-Démo");
    EXPECT_EQ(record->available, (std::vector<d::AgreementEvent>{d::AgreementEvent::activate, d::AgreementEvent::terminate}));
    EXPECT_TRUE(record->may_edit);
    EXPECT_TRUE(record->evaluations.empty());

    // References number the year's agreements one after the other.
    const auto next = create(form("partnership", {prov1_, prov2_}));
    const std::string next_reference = text("SELECT reference FROM agreements WHERE id = ?", {next});
    ASSERT_EQ(next_reference.size(), 13u) << next_reference;
    EXPECT_EQ(std::stoi(next_reference.substr(9)), std::stoi(reference.substr(9)) + 1) << reference << " then " << next_reference;
}

TEST_F(AgreementStore, FieldErrorsAndUnknownOrMissingPartiesChangeNothing) {
    add_other_area();
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {ctc_});
    const auto before = rows_written();
    const auto snap = snapshot();
    auto refused = [&](const d::AgreementTermsForm& f) {
        auto r = as(admin_, [&](AgreementRepo& repo) { return repo.create(f); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    auto f = form();
    f.title_fr = "";
    f.parties = {std::to_string(prov1_), std::to_string(prov1_)};
    EXPECT_EQ(refused(f), (std::vector<std::string>{"title_fr:field.required", "parties:agreement.two_parties"}));
    f = form();
    f.review_due = day(401);
    EXPECT_EQ(refused(f), std::vector<std::string>{"review_due:agreement.review_after_expiry"});
    f = form();
    f.parties.push_back("999999999");
    EXPECT_EQ(refused(f), std::vector<std::string>{"parties:field.choose_from_list"}) << "no such organisation";
    EXPECT_EQ(refused(form("csp_provider", {agency_, ctc_})), std::vector<std::string>{"parties:field.choose_from_list"})
        << "an inactive organisation";
    EXPECT_EQ(refused(form("csp_provider", {prov1_, prov2_})), std::vector<std::string>{"parties:agreement.agency_party"});
    EXPECT_EQ(refused(form("csp_participant", {prov1_, prov2_})), std::vector<std::string>{"parties:agreement.agency_party"});
    EXPECT_EQ(refused(form("csp_provider", {other_agency_, prov1_})),
              std::vector<std::string>{"parties:agreement.party_other_area"})
        << "another area's coordinating agency is not this area's";
    EXPECT_EQ(refused(form("partnership", {prov1_, prov2_, other_provider_})),
              std::vector<std::string>{"parties:agreement.party_other_area"})
        << "its provider would read the agreement and its documents, its agency never";
    EXPECT_EQ(rows_written(), before);
    EXPECT_EQ(snapshot(), snap);

    // A partnership needs no agency.
    const auto partnership = create(form("partnership", {prov1_, prov2_}));
    ASSERT_GT(partnership, 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_parties WHERE agreement_id = ?", {partnership}), 2);
    EXPECT_GT(rows_written(), before);
}

TEST_F(AgreementStore, OnlyTheAreasAdministratorsManageAgreements) {
    const auto id = create(form());
    ASSERT_GT(id, 0);
    const auto snap = snapshot();
    const auto family = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    ASSERT_GT(family, 0);
    std::vector<std::optional<d::Actor>> refused = {
        coordinator_,
        testsupport::actor_of(*t_->db, "coord.ca@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid"),
        d::Actor{family, 0, d::Role::family},
        std::nullopt,
    };
    const d::EvaluationForm evaluation{today_.iso(), "", "", "Met", "", "keep", ""};
    for (const auto& who : refused) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](AgreementRepo& r) { return r.inventory({}); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.agreement(id); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.update(id, 1, form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::activate, ""); }).error().code,
                  Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.add_evaluation(id, evaluation); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](AgreementRepo& r) { return r.party_choices(); }).error().code, Errc::Forbidden);
        auto tx = t_->db->begin(TxMode::read);
        EXPECT_FALSE(AgreementRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage());
    }
    // The analyst and a provider manager read; neither records nor moves anything.
    for (const auto& who : {analyst_, manager_}) {
        SCOPED_TRACE(d::code(who.role));
        EXPECT_TRUE(as(who, [&](AgreementRepo& r) { return r.agreement(id); }));
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.update(id, 1, form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::activate, ""); }).error().code,
                  Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.add_evaluation(id, evaluation); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](AgreementRepo& r) { return r.party_choices(); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(status_of(id), "draft");

    auto tx = t_->db->begin(TxMode::read);
    EXPECT_TRUE(AgreementRepo(testsupport::AccessForTests::as(*tx, clock_, admin_, "test")).may_manage());
}

TEST_F(AgreementStore, TheFormOffersTheAreasActiveOrganisationsAsParties) {
    add_other_area();
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {ctc_});
    auto choices = as(admin_, [](AgreementRepo& r) { return r.party_choices(); });
    ASSERT_TRUE(choices) << describe(choices.error());
    std::vector<std::int64_t> offered;
    for (const auto& c : *choices) offered.push_back(c.id);
    std::sort(offered.begin(), offered.end());
    EXPECT_EQ(offered, numbers("SELECT id FROM organisations WHERE sda_id = ? AND active = 1 ORDER BY id", {sda_}));
    EXPECT_NE(std::find(offered.begin(), offered.end(), agency_), offered.end());
    EXPECT_EQ(std::find(offered.begin(), offered.end(), ctc_), offered.end()) << "inactive";
    EXPECT_EQ(std::find(offered.begin(), offered.end(), other_agency_), offered.end()) << "another area's";
}

TEST_F(AgreementStore, TermsChangeOnlyFromTheVersionShown) {
    const auto id = create(form());
    auto f = form();
    f.title_en = "Demo service agreement, amended";
    f.scopes = {"governance"};
    f.parties.push_back(std::to_string(prov2_));
    auto changed = as(admin_, [&](AgreementRepo& r) { return r.update(id, 1, f); });
    ASSERT_TRUE(changed) << describe(changed.error());
    EXPECT_EQ(scalar("SELECT version FROM agreements WHERE id = ?", {id}), 2);
    EXPECT_EQ(text("SELECT title_en FROM agreements WHERE id = ?", {id}), "Demo service agreement, amended");
    EXPECT_EQ(scalar("SELECT updated_by FROM agreements WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(texts("SELECT scope FROM agreement_scopes WHERE agreement_id = ?", {id}), std::vector<std::string>{"governance"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_parties WHERE agreement_id = ?", {id}), 3);
    EXPECT_EQ(texts("SELECT event || '/' || status FROM agreement_events WHERE agreement_id = ? ORDER BY id", {id}),
              (std::vector<std::string>{"record/draft", "amend/draft"}));

    // A form shown before that change is refused, and changes nothing.
    const auto snap = snapshot();
    auto g = form();
    g.title_en = "Another change";
    auto stale = as(admin_, [&](AgreementRepo& r) { return r.update(id, 1, g); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "agreement.changed_meanwhile");
    g.review_due = day(-101);
    auto invalid = as(admin_, [&](AgreementRepo& r) { return r.update(id, 2, g); });
    ASSERT_FALSE(invalid);
    EXPECT_EQ(fields_of(invalid.error()), std::vector<std::string>{"review_due:agreement.review_before_effective"});
    auto no_agency = as(admin_, [&](AgreementRepo& r) { return r.update(id, 2, form("csp_provider", {prov1_, prov2_})); });
    ASSERT_FALSE(no_agency);
    EXPECT_EQ(fields_of(no_agency.error()), std::vector<std::string>{"parties:agreement.agency_party"});
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.update(id + 1000, 2, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(text("SELECT title_en FROM agreements WHERE id = ?", {id}), "Demo service agreement, amended");
}

TEST_F(AgreementStore, AMoveWritesTheStatusAndItsEventAndTerminatingNeedsAReason) {
    const auto id = create(form());
    auto moved = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::activate, ""); });
    ASSERT_TRUE(moved) << describe(moved.error());
    EXPECT_EQ(*moved, d::AgreementStatus::active);
    EXPECT_EQ(status_of(id), "active");
    EXPECT_EQ(texts("SELECT event || '/' || status FROM agreement_events WHERE agreement_id = ? ORDER BY id", {id}),
              (std::vector<std::string>{"record/draft", "activate/active"}));
    EXPECT_EQ(scalar("SELECT user_id FROM agreement_events WHERE agreement_id = ? AND event = 'activate'", {id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM agreements WHERE id = ?", {id}), admin_.user_id);

    const auto snap = snapshot();
    for (const std::string note : {"", "   "}) {
        auto bare = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::terminate, note); });
        ASSERT_FALSE(bare);
        EXPECT_EQ(bare.error().code, Errc::Invalid);
        EXPECT_EQ(fields_of(bare.error()), std::vector<std::string>{"note:field.required"});
    }
    auto again = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::activate, ""); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.fire(id + 1000, d::AgreementEvent::terminate, "x"); }).error().code,
              Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(status_of(id), "active");

    auto ended = as(
        admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::terminate, "The provider closed its program."); });
    ASSERT_TRUE(ended) << describe(ended.error());
    EXPECT_EQ(*ended, d::AgreementStatus::terminated);
    EXPECT_EQ(status_of(id), "terminated");
    EXPECT_EQ(text("SELECT note FROM agreement_events WHERE agreement_id = ? AND event = 'terminate'", {id}),
              "The provider closed its program.");

    // Closed: its terms, its evaluations and its status stay as they are.
    const auto closed = snapshot();
    auto update = as(admin_, [&](AgreementRepo& r) { return r.update(id, 1, form()); });
    ASSERT_FALSE(update);
    EXPECT_EQ(update.error().code, Errc::Conflict);
    EXPECT_EQ(update.error().message_key, "agreement.closed");
    auto evaluate = as(admin_, [&](AgreementRepo& r) {
        return r.add_evaluation(id, {today_.iso(), "", "", "Ended early", "", "end", ""});
    });
    ASSERT_FALSE(evaluate);
    EXPECT_EQ(evaluate.error().code, Errc::Conflict);
    EXPECT_EQ(evaluate.error().message_key, "agreement.closed");
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::terminate, "again"); }).error().message_key,
              "lifecycle.not_from_state");
    EXPECT_EQ(snapshot(), closed);
    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->available.empty());
    EXPECT_FALSE(record->may_edit);
}

TEST_F(AgreementStore, ARenewalFromReviewWritesItsNewDatesWithTheStatus) {
    const auto id = active(form());
    // The table's refusal comes first: from active there is no renewal, whatever the dates.
    auto early = as(admin_, [&](AgreementRepo& r) {
        return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{day(1500), day(700)});
    });
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().message_key, "lifecycle.not_from_state");
    auto empty = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{}); });
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message_key, "lifecycle.not_from_state");

    auto review = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::open_review, ""); });
    ASSERT_TRUE(review);
    EXPECT_EQ(*review, d::AgreementStatus::under_review);

    const auto snap = snapshot();
    auto short_renewal = as(admin_, [&](AgreementRepo& r) {
        return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{day(300), day(200)});
    });
    ASSERT_FALSE(short_renewal);
    EXPECT_EQ(fields_of(short_renewal.error()), std::vector<std::string>{"expires_on:agreement.renewal_expiry"})
        << "not after the current expiry";
    auto past_review = as(admin_, [&](AgreementRepo& r) {
        return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{day(1500), day(-1)});
    });
    ASSERT_FALSE(past_review);
    EXPECT_EQ(fields_of(past_review.error()), std::vector<std::string>{"review_due:agreement.review_in_past"});
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(status_of(id), "under_review");

    auto renewed = as(admin_, [&](AgreementRepo& r) {
        return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{day(1500), day(700)});
    });
    ASSERT_TRUE(renewed) << describe(renewed.error());
    EXPECT_EQ(*renewed, d::AgreementStatus::renewed);
    EXPECT_EQ(status_of(id), "renewed");
    EXPECT_EQ(text("SELECT expires_on FROM agreements WHERE id = ?", {id}), day(1500));
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(700));
    EXPECT_EQ(text("SELECT effective_on FROM agreements WHERE id = ?", {id}), day(-100)) << "still in force since then";
    EXPECT_EQ(text("SELECT note FROM agreement_events WHERE agreement_id = ? AND event = 'renew'", {id}), day(1500))
        << "the new expiry, when no note was given";
    // New dates: a terms form shown before the renewal would put the old ones back.
    EXPECT_EQ(scalar("SELECT version FROM agreements WHERE id = ?", {id}), 2);
    auto stale = as(admin_, [&](AgreementRepo& r) { return r.update(id, 1, form()); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().message_key, "agreement.changed_meanwhile");
    EXPECT_EQ(text("SELECT expires_on FROM agreements WHERE id = ?", {id}), day(1500));
    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record);
    EXPECT_EQ(record->summary.expires_on, day(1500));
    EXPECT_EQ(record->available, (std::vector<d::AgreementEvent>{d::AgreementEvent::open_review, d::AgreementEvent::terminate}));

    // A review may also conclude with the agreement kept as it is.
    ASSERT_TRUE(as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::open_review, ""); }));
    auto kept = as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::conclude_review, ""); });
    ASSERT_TRUE(kept);
    EXPECT_EQ(*kept, d::AgreementStatus::active);
    EXPECT_EQ(text("SELECT expires_on FROM agreements WHERE id = ?", {id}), day(1500));
}

// An agreement may be activated before it takes effect: a renewal's or an evaluation's next
// review still comes on or after its effective date, refused as a field error, not a failed write.
TEST_F(AgreementStore, ANewReviewDateBeforeTheEffectiveDateIsAFieldError) {
    auto f = form();
    f.effective_on = day(10);
    f.review_due = day(30);
    const auto id = active(f);
    const auto snap = snapshot();
    auto evaluated = as(admin_, [&](AgreementRepo& r) {
        return r.add_evaluation(id, {today_.iso(), "", "", "Signed, not yet in effect", "", "keep", day(5)});
    });
    ASSERT_FALSE(evaluated);
    EXPECT_EQ(fields_of(evaluated.error()), std::vector<std::string>{"next_review_due:agreement.review_before_effective"});
    ASSERT_TRUE(as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::open_review, ""); }));
    const auto under_review = snapshot();
    EXPECT_NE(under_review, snap);
    auto renewed = as(admin_, [&](AgreementRepo& r) {
        return r.fire(id, d::AgreementEvent::renew, "", d::RenewalForm{day(1000), day(5)});
    });
    ASSERT_FALSE(renewed);
    EXPECT_EQ(fields_of(renewed.error()), std::vector<std::string>{"review_due:agreement.review_before_effective"});
    EXPECT_EQ(snapshot(), under_review);
    EXPECT_EQ(status_of(id), "under_review");
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(30));
}

TEST_F(AgreementStore, AnAgreementExpiresOnlyOnceItsExpiryDateHasCome) {
    const auto id = active(form());  // expires in 400 days
    const auto snap = snapshot();
    for (int n : {0, 399}) {
        SCOPED_TRACE(n);
        const auto clock = at(n);
        auto early = as_at(admin_, clock, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::expire, ""); });
        ASSERT_FALSE(early);
        EXPECT_EQ(early.error().code, Errc::Conflict);
        EXPECT_EQ(early.error().message_key, "agreement.not_expired");
        auto record = as_at(admin_, clock, [&](AgreementRepo& r) { return r.agreement(id); });
        ASSERT_TRUE(record);
        EXPECT_EQ(record->available,
                  (std::vector<d::AgreementEvent>{d::AgreementEvent::open_review, d::AgreementEvent::terminate}));
    }
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(status_of(id), "active");

    const auto on_the_day = at(400);
    auto record = as_at(admin_, on_the_day, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record);
    EXPECT_EQ(record->available, (std::vector<d::AgreementEvent>{d::AgreementEvent::open_review, d::AgreementEvent::expire,
                                                                 d::AgreementEvent::terminate}));
    auto expired = as_at(admin_, on_the_day, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::expire, ""); });
    ASSERT_TRUE(expired) << describe(expired.error());
    EXPECT_EQ(*expired, d::AgreementStatus::expired);
    EXPECT_EQ(status_of(id), "expired");
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM agreement_events WHERE agreement_id = ? AND event = 'expire' AND status = 'expired'", {id}),
        1);
    EXPECT_EQ(as_at(admin_, on_the_day, [&](AgreementRepo& r) { return r.update(id, 1, form()); }).error().message_key,
              "agreement.closed");

    // Without an expiry date, never.
    auto f = form();
    f.expires_on = "";
    const auto open_ended = active(f);
    const auto much_later = at(5000);
    auto never = as_at(admin_, much_later, [&](AgreementRepo& r) { return r.fire(open_ended, d::AgreementEvent::expire, ""); });
    ASSERT_FALSE(never);
    EXPECT_EQ(never.error().message_key, "agreement.not_expired");
}

TEST_F(AgreementStore, AnEvaluationIsRecordedAndMaySetTheNextReviewWithinTheExpiry) {
    const auto id = active(form());  // reviewed in 60 days, expires in 400
    d::EvaluationForm e{today_.iso(),
                        "Referrals answered within 10 days",
                        "Median days to answer",
                        "Met for 8 referrals of 10",
                        "A weekly call",
                        "strengthen",
                        day(180)};
    auto added = as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); });
    ASSERT_TRUE(added) << describe(added.error());
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(180));
    EXPECT_EQ(scalar("SELECT version FROM agreements WHERE id = ?", {id}), 2) << "a new date: a form shown before is stale";
    EXPECT_EQ(scalar("SELECT created_by FROM agreement_evaluations WHERE id = ?", {*added}), admin_.user_id);
    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record);
    ASSERT_EQ(record->evaluations.size(), 1u);
    const auto& v = record->evaluations[0];
    EXPECT_EQ(v.id, *added);
    EXPECT_EQ(v.evaluated_on.iso(), today_.iso());
    EXPECT_EQ(v.expected_results, "Referrals answered within 10 days");
    EXPECT_EQ(v.indicators, "Median days to answer");
    EXPECT_EQ(v.findings, "Met for 8 referrals of 10");
    EXPECT_EQ(v.adjustments, "A weekly call");
    EXPECT_EQ(v.outcome, d::EvaluationOutcome::strengthen);
    ASSERT_TRUE(v.next_review_due);
    EXPECT_EQ(v.next_review_due->iso(), day(180));
    EXPECT_EQ(record->summary.last_evaluated_on, today_.iso());
    EXPECT_EQ(record->summary.review_due, day(180));

    // A next review after the expiry is refused and nothing is written.
    const auto before = rows_written();
    const auto snap = snapshot();
    e.next_review_due = day(401);
    auto late = as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::Invalid);
    EXPECT_EQ(fields_of(late.error()), std::vector<std::string>{"next_review_due:agreement.review_after_expiry"});
    e.next_review_due = day(180);
    e.evaluated_on = day(1);
    auto future = as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); });
    ASSERT_FALSE(future);
    EXPECT_EQ(fields_of(future.error()), std::vector<std::string>{"evaluated_on:agreement.evaluated_in_future"});
    e.evaluated_on = today_.iso();
    e.findings = "";
    auto empty = as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); });
    ASSERT_FALSE(empty);
    EXPECT_EQ(fields_of(empty.error()), std::vector<std::string>{"findings:field.required"});
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id + 1000, e); }).error().code, Errc::NotFound);
    EXPECT_EQ(rows_written(), before);
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_evaluations WHERE agreement_id = ?", {id}), 1);
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(180));

    // On the expiry date itself it may be; without a next review the date stays.
    e.findings = "Met for every referral";
    e.next_review_due = day(400);
    ASSERT_TRUE(as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); }));
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(400));
    e.next_review_due = "";
    e.outcome = "keep";
    ASSERT_TRUE(as(admin_, [&](AgreementRepo& r) { return r.add_evaluation(id, e); }));
    EXPECT_EQ(text("SELECT review_due FROM agreements WHERE id = ?", {id}), day(400));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_evaluations WHERE agreement_id = ?", {id}), 3);
}

TEST_F(AgreementStore, TheInventoryIsFilteredByKindStatusScopeOrganisationAndReview) {
    auto with = [&](const std::string& kind, const std::vector<std::int64_t>& parties, std::vector<std::string> scopes,
                    int review) {
        auto f = form(kind, parties);
        f.scopes = std::move(scopes);
        f.review_due = day(review);
        return f;
    };
    const auto a1 = active(with("csp_provider", {agency_, prov1_}, {"referral", "information_sharing"}, 60));
    const auto a2 = create(with("partnership", {prov1_, prov2_}, {"joint_training"}, 20));  // a draft
    const auto a3 = active(with("csp_participant", {agency_, ctc_}, {"plan_contribution"}, 10));
    const auto a4 = active(with("csp_provider", {agency_, prov2_}, {"referral"}, 61));
    const auto a5 = active(with("partnership", {prov2_, ctc_}, {"governance"}, -5));  // its review is late
    const std::set<std::int64_t> mine = {a1, a2, a3, a4, a5};
    using Ids = std::vector<std::int64_t>;
    auto inventory = [&](const d::InventoryQuery& q) {
        auto list = as(admin_, [&](AgreementRepo& r) { return r.inventory(q); });
        EXPECT_TRUE(list) << (list ? "" : describe(list.error()));
        return list ? ids_in(*list, mine) : Ids{};
    };
    EXPECT_EQ(inventory({}), (Ids{a5, a3, a2, a1, a4})) << "by review date";
    EXPECT_EQ(inventory({"partnership", "", "", "", ""}), (Ids{a5, a2}));
    EXPECT_EQ(inventory({"csp_participant", "", "", "", ""}), (Ids{a3}));
    EXPECT_EQ(inventory({"", "draft", "", "", ""}), (Ids{a2}));
    EXPECT_EQ(inventory({"", "active", "", "", ""}), (Ids{a5, a3, a1, a4}));
    EXPECT_EQ(inventory({"", "terminated", "", "", ""}), Ids{});
    EXPECT_EQ(inventory({"", "", "referral", "", ""}), (Ids{a1, a4}));
    EXPECT_EQ(inventory({"", "", "joint_training", "", ""}), (Ids{a2}));
    EXPECT_EQ(inventory({"", "", "", std::to_string(prov2_), ""}), (Ids{a5, a2, a4}));
    EXPECT_EQ(inventory({"", "", "", std::to_string(ctc_), ""}), (Ids{a5, a3}));
    EXPECT_EQ(inventory({"", "", "", "", "due"}), (Ids{a5, a3, a1})) << "in force, within 60 days or late";
    EXPECT_EQ(inventory({"csp_provider", "active", "referral", std::to_string(agency_), "due"}), (Ids{a1}));

    // A filtered list still shows each agreement whole.
    auto list = as(admin_, [&](AgreementRepo& r) { return r.inventory({"", "", "referral", "", ""}); });
    ASSERT_TRUE(list);
    auto first = std::find_if(list->begin(), list->end(), [&](const AgreementSummary& s) { return s.id == a1; });
    ASSERT_NE(first, list->end());
    EXPECT_EQ(first->scopes,
              (std::vector<d::AgreementScope>{d::AgreementScope::referral, d::AgreementScope::information_sharing}));
    ASSERT_EQ(first->parties.size(), 2u);
    EXPECT_EQ(first->parties[0].id, agency_);
    EXPECT_TRUE(first->parties[0].agency);
    EXPECT_EQ(first->status, d::AgreementStatus::active);
    EXPECT_EQ(first->review_due, day(60));
    EXPECT_FALSE(first->review_late);
    auto all = as(admin_, [](AgreementRepo& r) { return r.inventory({}); });
    ASSERT_TRUE(all);
    auto late = std::find_if(all->begin(), all->end(), [&](const AgreementSummary& s) { return s.id == a5; });
    ASSERT_NE(late, all->end());
    EXPECT_TRUE(late->review_late);

    auto refused = [&](const d::InventoryQuery& q) {
        auto r = as(admin_, [&](AgreementRepo& repo) { return repo.inventory(q); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    EXPECT_EQ(refused({"memorandum", "", "", "", ""}), std::vector<std::string>{"kind:field.choose_from_list"});
    EXPECT_EQ(refused({"", "open", "", "", ""}), std::vector<std::string>{"status:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "catering", "", ""}), std::vector<std::string>{"scope:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "", "blue-river", ""}), std::vector<std::string>{"organisation:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "", "", "late"}), std::vector<std::string>{"review:field.choose_from_list"});
}

// The page shows 50 agreements at a time, in the inventory's order, with how many match in all;
// the filter's organisations are the parties of every agreement the reader may see.
TEST_F(AgreementStore, TheInventoryIsShownAPageAtATime) {
    auto all = as(admin_, [](AgreementRepo& r) { return r.inventory({}); });
    ASSERT_TRUE(all);
    const auto before = static_cast<std::int64_t>(all->size());
    const int added = 2 * d::inventory_page_size + 5 - static_cast<int>(before % d::inventory_page_size);
    for (int i = 0; i < added; ++i) {
        auto f = form("partnership", {prov1_, prov2_});
        f.review_due = day(1 + i % 300);
        ASSERT_NE(create(f), 0);
    }
    all = as(admin_, [](AgreementRepo& r) { return r.inventory({}); });
    ASSERT_TRUE(all);
    const auto total = static_cast<std::int64_t>(all->size());
    ASSERT_EQ(total, before + added);
    const std::int64_t pages = (total + d::inventory_page_size - 1) / d::inventory_page_size;
    std::vector<std::int64_t> paged;
    for (std::int64_t n = 1; n <= pages; ++n) {
        d::InventoryQuery q;
        q.page = n == 1 ? std::string() : std::to_string(n);
        auto page = as(admin_, [&](AgreementRepo& r) { return r.inventory_page(q); });
        ASSERT_TRUE(page) << (page ? "" : describe(page.error()));
        EXPECT_EQ(page->total, total);
        EXPECT_EQ(page->page, n);
        EXPECT_EQ(static_cast<std::int64_t>(page->rows.size()), n < pages ? d::inventory_page_size : total - (pages - 1) * 50);
        for (const auto& row : page->rows) {
            paged.push_back(row.id);
            EXPECT_FALSE(row.parties.empty()) << "each row whole";
            EXPECT_FALSE(row.scopes.empty());
        }
    }
    std::vector<std::int64_t> listed;
    for (const auto& row : *all) listed.push_back(row.id);
    EXPECT_EQ(paged, listed) << "the pages are the inventory, in order";

    d::InventoryQuery beyond;
    beyond.page = std::to_string(pages + 1);
    auto empty = as(admin_, [&](AgreementRepo& r) { return r.inventory_page(beyond); });
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->rows.empty());
    EXPECT_EQ(empty->total, total);
    for (const std::string bad : {"0", "-1", "two", "100001"}) {
        d::InventoryQuery q;
        q.page = bad;
        auto r = as(admin_, [&](AgreementRepo& repo) { return repo.inventory_page(q); });
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"page:field.number_between"}) << bad;
    }

    auto parties = as(admin_, [](AgreementRepo& r) { return r.parties_seen(); });
    ASSERT_TRUE(parties);
    std::set<std::int64_t> seen, expected;
    for (const auto& p : *parties) seen.insert(p.id);
    for (const auto& row : *all)
        for (const auto& p : row.parties) expected.insert(p.id);
    EXPECT_EQ(seen, expected);
    auto theirs = as(manager2_, [](AgreementRepo& r) { return r.parties_seen(); });
    ASSERT_TRUE(theirs);
    EXPECT_TRUE(std::any_of(theirs->begin(), theirs->end(), [&](const AgreementParty& p) { return p.id == prov2_; }));
    EXPECT_FALSE(as(coordinator_, [](AgreementRepo& r) { return r.parties_seen(); }));
}

TEST_F(AgreementStore, EachReaderSeesTheirOwnAndNothingElseIsFound) {
    add_other_area();
    const auto a1 = create(form());                               // the agency and the first provider
    const auto a2 = create(form("partnership", {prov2_, ctc_}));  // without the first provider
    const auto o1 = create(form("csp_provider", {other_agency_, other_provider_}), &other_admin_);
    ASSERT_GT(o1, 0);
    const std::set<std::int64_t> mine = {a1, a2, o1};
    using Ids = std::vector<std::int64_t>;
    auto sees = [&](const d::Actor& who) {
        auto list = as(who, [](AgreementRepo& r) { return r.inventory({}); });
        EXPECT_TRUE(list) << (list ? "" : describe(list.error()));
        Ids ids = list ? ids_in(*list, mine) : Ids{};
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    auto sorted = [](Ids ids) {
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    auto read = [&](const d::Actor& who, std::int64_t id) { return as(who, [&](AgreementRepo& r) { return r.agreement(id); }); };

    // The analyst: every area's, to read only.
    EXPECT_EQ(sees(analyst_), sorted({a1, a2, o1}));
    auto far = read(analyst_, o1);
    ASSERT_TRUE(far) << describe(far.error());
    EXPECT_EQ(far->summary.area_en, "Other area");
    EXPECT_EQ(far->summary.sda_id, other_sda_);
    EXPECT_TRUE(far->available.empty());
    EXPECT_FALSE(far->may_edit);
    EXPECT_EQ(as(analyst_, [&](AgreementRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);

    // A provider manager: the agreements their organisation is a party to.
    EXPECT_EQ(sees(manager_), Ids{a1});
    EXPECT_EQ(sees(manager2_), Ids{a2});
    auto own = read(manager_, a1);
    ASSERT_TRUE(own) << describe(own.error());
    EXPECT_TRUE(own->available.empty());
    EXPECT_FALSE(own->may_edit);
    EXPECT_EQ(read(manager_, a2).error().code, Errc::NotFound);
    EXPECT_EQ(read(manager_, o1).error().code, Errc::NotFound);
    auto filtered = as(manager_, [&](AgreementRepo& r) { return r.inventory({"", "", "", std::to_string(prov2_), ""}); });
    ASSERT_TRUE(filtered);
    EXPECT_EQ(ids_in(*filtered, mine), Ids{}) << "a filter never widens what the manager sees";

    // Each area's administrator: their area's only.
    EXPECT_EQ(sees(admin_), sorted({a1, a2}));
    EXPECT_EQ(sees(other_admin_), Ids{o1});
    const auto snap = snapshot();
    EXPECT_EQ(read(admin_, o1).error().code, Errc::NotFound);
    EXPECT_EQ(read(other_admin_, a1).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.update(o1, 1, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](AgreementRepo& r) { return r.fire(o1, d::AgreementEvent::activate, ""); }).error().code,
              Errc::NotFound);
    EXPECT_EQ(as(admin_,
                 [&](AgreementRepo& r) {
                     return r.add_evaluation(o1, {today_.iso(), "", "", "Seen", "", "keep", ""});
                 })
                  .error()
                  .code,
              Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(status_of(o1), "draft");
}

TEST_F(AgreementStore, RemindersGoOnceToEachActiveAdministratorOfTheArea) {
    add_other_area();  // its administrator hears nothing of this area's agreements
    std::int64_t second = 0;
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        second = *ids.create_user({"second.admin@example.org", "Sam Second-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(second, {agency_, d::Role::ca_admin}, 0));
        const auto gone = *ids.create_user({"gone.admin@example.org", "Gale Gone-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(gone, {agency_, d::Role::ca_admin}, 0));
        ASSERT_TRUE(ids.set_user_active(gone, false, 0));
        tx->commit();
    }
    auto f = form();
    f.review_due = day(50);
    const auto id = active(f);  // reviewed in 50 days, expires in 400
    f.review_due = day(20);
    const auto draft = create(f);
    const std::string link = "/agreements/" + std::to_string(id);
    const std::string reference = text("SELECT reference FROM agreements WHERE id = ?", {id});

    auto remind = [&](const Clock& clock) {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_agreement_reminders(*tx, clock, catalogue(), "http://127.0.0.1");
        tx->commit();
        return n;
    };
    auto agreement_notes = [&] { return scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'agreement'"); };
    auto recipients = [&](const std::string& key) {
        return numbers("SELECT user_id FROM notifications WHERE dedupe_key = ? ORDER BY 1", {key});
    };
    std::vector<std::int64_t> admins = {admin_.user_id, second};
    std::sort(admins.begin(), admins.end());

    // Nothing is due 31 days before the review.
    const auto early = at(19);
    remind(early);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 0);

    // 20 days before: one notification for each active administrator of the area.
    const auto twenty_before = at(30);
    const auto notes_before = agreement_notes();
    const int written = remind(twenty_before);
    EXPECT_EQ(written, agreement_notes() - notes_before);
    const std::string review_key = "agreement-review:" + std::to_string(id) + ":" + day(50);
    EXPECT_EQ(recipients(review_key), admins);
    EXPECT_EQ(numbers("SELECT user_id FROM notifications WHERE link = ? ORDER BY 1", {link}), admins);
    EXPECT_EQ(texts("SELECT DISTINCT kind FROM notifications WHERE link = ?", {link}), std::vector<std::string>{"agreement"});
    EXPECT_EQ(texts("SELECT DISTINCT reference FROM notifications WHERE link = ?", {link}), std::vector<std::string>{reference});
    const auto text_en = text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {review_key});
    EXPECT_EQ(text_en, catalogue().t(Lang::en, "agreement.reminder.review", {reference, "Demo service agreement", day(50)}));
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {review_key}),
              catalogue().t(Lang::fr, "agreement.reminder.review", {reference, "Entente de services Démo", day(50)}));
    EXPECT_NE(text_en, "agreement.reminder.review") << "the sentence is in the catalogue";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {"/agreements/" + std::to_string(draft)}), 0)
        << "a draft is not in force";

    // Once per agreement and date.
    EXPECT_EQ(remind(twenty_before), 0);
    remind(at(40));
    EXPECT_EQ(recipients(review_key), admins);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 2);

    // The expiry: not 91 days before, then 90 days before, once.
    const std::string expiry_key = "agreement-expiry:" + std::to_string(id) + ":" + day(400);
    remind(at(309));
    EXPECT_TRUE(recipients(expiry_key).empty());
    remind(at(310));
    EXPECT_EQ(recipients(expiry_key), admins);
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {expiry_key}),
              catalogue().t(Lang::en, "agreement.reminder.expiry", {reference, "Demo service agreement", day(400)}));
    remind(at(311));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 4) << "two reminders, two administrators";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'agreement'", {other_admin_.user_id}), 0);
}

// ---------------------------------------------------------------- documents

namespace {

// A PDF's signature, then every byte value, NULs and 0xFF among them: what is given back must be
// these bytes exactly.
std::string pdf_with_every_byte() {
    std::string out = "%PDF-1.7\n";
    for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    out += std::string("\0\0\xFF\xFF\r\n\0", 7);
    return out;
}

const std::string png_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

}  // namespace

TEST_F(AgreementStore, ADocumentIsStoredWithItsChecksumAndGivenBackByteForByte) {
    const auto id = create(form());
    const std::string data = pdf_with_every_byte();
    ASSERT_EQ(data.size(), 9u + 256u + 7u);
    auto added = as(admin_, [&](AgreementRepo& r) { return r.add_document(id, {"signed_copy", "Entente-signée.pdf", data}); });
    ASSERT_TRUE(added) << describe(added.error());
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_documents WHERE agreement_id = ?", {id}), 1);
    const Params doc = {*added};
    EXPECT_EQ(scalar("SELECT agreement_id FROM agreement_documents WHERE id = ?", doc), id);
    EXPECT_EQ(text("SELECT kind FROM agreement_documents WHERE id = ?", doc), "signed_copy");
    EXPECT_EQ(text("SELECT filename FROM agreement_documents WHERE id = ?", doc), "Entente-signée.pdf");
    EXPECT_EQ(text("SELECT content_type FROM agreement_documents WHERE id = ?", doc), "application/pdf");
    EXPECT_EQ(scalar("SELECT size FROM agreement_documents WHERE id = ?", doc), static_cast<std::int64_t>(data.size()));
    EXPECT_EQ(text("SELECT checksum FROM agreement_documents WHERE id = ?", doc), hash_token(data));
    EXPECT_EQ(text("SELECT content FROM agreement_documents WHERE id = ?", doc), base64url(data)) << "base64url, no padding";
    EXPECT_EQ(text("SELECT uploaded_at FROM agreement_documents WHERE id = ?", doc), format_iso(clock_.now()));
    EXPECT_EQ(scalar("SELECT uploaded_by FROM agreement_documents WHERE id = ?", doc), admin_.user_id);

    // A second one, listed after the first.
    const auto second = as(admin_, [&](AgreementRepo& r) {
        return r.add_document(id, {"annex", "organigramme.PNG", png_bytes});
    });
    ASSERT_TRUE(second) << describe(second.error());
    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(id); });
    ASSERT_TRUE(record) << describe(record.error());
    ASSERT_EQ(record->documents.size(), 2u);
    const auto& first = record->documents[0];
    EXPECT_EQ(first.id, *added);
    EXPECT_EQ(first.kind, d::DocumentKind::signed_copy);
    EXPECT_EQ(first.filename, "Entente-signée.pdf");
    EXPECT_EQ(first.content_type, "application/pdf");
    EXPECT_EQ(first.size, static_cast<std::int64_t>(data.size()));
    EXPECT_EQ(first.checksum, hash_token(data));
    EXPECT_EQ(first.uploaded_at, format_iso(clock_.now()));
    EXPECT_EQ(first.uploaded_by, "Claude Admin-Démo");
    EXPECT_EQ(record->documents[1].id, *second);
    EXPECT_EQ(record->documents[1].kind, d::DocumentKind::annex);
    EXPECT_EQ(record->documents[1].content_type, "image/png");
    EXPECT_EQ(record->documents[1].size, 16);

    auto file = as(admin_, [&](AgreementRepo& r) { return r.document(id, *added); });
    ASSERT_TRUE(file) << describe(file.error());
    EXPECT_EQ(file->filename, "Entente-signée.pdf");
    EXPECT_EQ(file->content_type, "application/pdf");
    ASSERT_EQ(file->data.size(), data.size());
    EXPECT_TRUE(file->data == data) << "the same bytes";
    auto image = as(admin_, [&](AgreementRepo& r) { return r.document(id, *second); });
    ASSERT_TRUE(image);
    EXPECT_EQ(image->data, png_bytes);
    EXPECT_EQ(image->filename, "organigramme.PNG");
}

TEST_F(AgreementStore, ABadDocumentWritesNothing) {
    add_other_area();
    const auto id = active(form());
    const auto theirs = create(form("csp_provider", {other_agency_, other_provider_}), &other_admin_);
    ASSERT_GT(theirs, 0);
    const std::string pdf = pdf_with_every_byte();
    const auto snap = snapshot();
    auto refused = [&](const d::DocumentUpload& upload) {
        auto r = as(admin_, [&](AgreementRepo& repo) { return repo.add_document(id, upload); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    using Keys = std::vector<std::string>;
    EXPECT_EQ(refused({"", "a.pdf", pdf}), Keys{"kind:field.required"});
    EXPECT_EQ(refused({"contract", "a.pdf", pdf}), Keys{"kind:field.choose_from_list"});
    EXPECT_EQ(refused({"signed_copy", "", ""}), Keys{"file:agreement.document_missing"});
    EXPECT_EQ(refused({"signed_copy", "../a.pdf", pdf}), Keys{"file:agreement.document_name"});
    EXPECT_EQ(refused({"signed_copy", "a.html", "<html></html>"}), Keys{"file:agreement.document_type"});
    EXPECT_EQ(refused({"signed_copy", "a.pdf", "<html></html>"}), Keys{"file:agreement.document_content"});
    const std::string big(d::max_document_bytes + 1, '%');
    EXPECT_EQ(refused({"signed_copy", "a.pdf", big}), Keys{"file:agreement.document_too_large"});
    // No such agreement, another area's: not found.
    EXPECT_EQ(as(admin_,
                 [&](AgreementRepo& r) {
                     return r.add_document(id + 1000, {"other", "a.pdf", pdf});
                 })
                  .error()
                  .code,
              Errc::NotFound);
    EXPECT_EQ(as(admin_,
                 [&](AgreementRepo& r) {
                     return r.add_document(theirs, {"other", "a.pdf", pdf});
                 })
                  .error()
                  .code,
              Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_documents WHERE agreement_id IN (?, ?)", {id, theirs}), 0);

    // Once terminated, or expired, no more documents.
    ASSERT_TRUE(as(admin_, [&](AgreementRepo& r) { return r.fire(id, d::AgreementEvent::terminate, "Fin du programme."); }));
    const auto closed = snapshot();
    auto late = as(admin_, [&](AgreementRepo& r) { return r.add_document(id, {"signed_copy", "a.pdf", pdf}); });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::Conflict);
    EXPECT_EQ(late.error().message_key, "agreement.closed");
    EXPECT_EQ(snapshot(), closed);
    const auto expiring = active(form());  // expires in 400 days
    const auto on_the_day = at(400);
    ASSERT_TRUE(as_at(admin_, on_the_day, [&](AgreementRepo& r) { return r.fire(expiring, d::AgreementEvent::expire, ""); }));
    auto expired = as_at(admin_, on_the_day, [&](AgreementRepo& r) { return r.add_document(expiring, {"annex", "a.pdf", pdf}); });
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().message_key, "agreement.closed");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_documents WHERE agreement_id IN (?, ?)", {id, expiring}), 0);
}

TEST_F(AgreementStore, TheAdministratorsAddDocumentsAndWhoeverReadsTheAgreementDownloadsThem) {
    add_other_area();
    const auto id = create(form());  // the agency and the first provider
    const std::string pdf = pdf_with_every_byte();
    auto added = as(admin_, [&](AgreementRepo& r) { return r.add_document(id, {"signed_copy", "signee.pdf", pdf}); });
    ASSERT_TRUE(added) << describe(added.error());
    const auto snap = snapshot();
    const auto family = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    ASSERT_GT(family, 0);

    // Refused whatever the agreement: those who read none.
    const std::vector<std::optional<d::Actor>> refused = {
        coordinator_,
        testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid"),
        d::Actor{family, 0, d::Role::family},
        std::nullopt,
    };
    for (const auto& who : refused) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who,
                     [&](AgreementRepo& r) {
                         return r.add_document(id, {"other", "x.pdf", pdf});
                     })
                      .error()
                      .code,
                  Errc::Forbidden);
        EXPECT_EQ(as(who, [&](AgreementRepo& r) { return r.document(id, *added); }).error().code, Errc::Forbidden);
    }

    // The analyst and a party's provider manager download it; neither adds one.
    for (const auto& who : {analyst_, manager_}) {
        SCOPED_TRACE(d::code(who.role));
        auto file = as(who, [&](AgreementRepo& r) { return r.document(id, *added); });
        ASSERT_TRUE(file) << describe(file.error());
        EXPECT_TRUE(file->data == pdf);
        EXPECT_EQ(file->filename, "signee.pdf");
        auto record = as(who, [&](AgreementRepo& r) { return r.agreement(id); });
        ASSERT_TRUE(record);
        EXPECT_EQ(record->documents.size(), 1u);
        EXPECT_EQ(as(who,
                     [&](AgreementRepo& r) {
                         return r.add_document(id, {"other", "x.pdf", pdf});
                     })
                      .error()
                      .code,
                  Errc::Forbidden);
    }

    // The manager of an organisation that is not a party, another area's administrator: not found.
    EXPECT_EQ(as(manager2_, [&](AgreementRepo& r) { return r.document(id, *added); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(other_admin_, [&](AgreementRepo& r) { return r.document(id, *added); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(other_admin_,
                 [&](AgreementRepo& r) {
                     return r.add_document(id, {"other", "x.pdf", pdf});
                 })
                  .error()
                  .code,
              Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(AgreementStore, ADocumentIsFoundOnlyUnderItsOwnAgreement) {
    const auto a1 = create(form());
    const auto a2 = create(form("partnership", {prov1_, prov2_}));
    const std::string pdf = pdf_with_every_byte();
    auto d1 = as(admin_, [&](AgreementRepo& r) { return r.add_document(a1, {"signed_copy", "a1.pdf", pdf}); });
    auto d2 = as(admin_, [&](AgreementRepo& r) { return r.add_document(a2, {"signed_copy", "a2.pdf", pdf}); });
    ASSERT_TRUE(d1 && d2);
    auto get = [&](const d::Actor& who, std::int64_t agreement, std::int64_t doc) {
        return as(who, [&](AgreementRepo& r) { return r.document(agreement, doc); });
    };
    EXPECT_EQ(get(admin_, a1, *d1).value().filename, "a1.pdf");
    EXPECT_EQ(get(admin_, a2, *d2).value().filename, "a2.pdf");
    EXPECT_EQ(get(admin_, a1, *d2).error().code, Errc::NotFound);
    EXPECT_EQ(get(admin_, a2, *d1).error().code, Errc::NotFound);
    EXPECT_EQ(get(admin_, a1, *d2 + 1000).error().code, Errc::NotFound);
    EXPECT_EQ(get(admin_, a1 + 1000, *d1).error().code, Errc::NotFound);
    // The first provider's manager reads both agreements, and still each document only under its own.
    EXPECT_EQ(get(manager_, a2, *d1).error().code, Errc::NotFound);
    EXPECT_EQ(get(manager_, a1, *d1).value().filename, "a1.pdf");
    // The second provider's reads only the second agreement: its document, under another
    // agreement's id, is not found either.
    EXPECT_EQ(get(manager2_, a1, *d2).error().code, Errc::NotFound);
    EXPECT_EQ(get(manager2_, a2, *d2).value().filename, "a2.pdf");
    auto record = as(admin_, [&](AgreementRepo& r) { return r.agreement(a1); });
    ASSERT_TRUE(record);
    ASSERT_EQ(record->documents.size(), 1u);
    EXPECT_EQ(record->documents[0].id, *d1);
}

TEST_F(AgreementStore, StoredBytesThatNoLongerMatchTheirChecksumAreNeverServed) {
    const auto id = create(form());
    const std::string pdf = pdf_with_every_byte();
    auto added = as(admin_, [&](AgreementRepo& r) { return r.add_document(id, {"signed_copy", "signee.pdf", pdf}); });
    ASSERT_TRUE(added) << describe(added.error());
    auto get = [&] { return as(admin_, [&](AgreementRepo& r) { return r.document(id, *added); }); };
    ASSERT_TRUE(get());
    const std::string stored = text("SELECT content FROM agreement_documents WHERE id = ?", {*added});
    const std::string checksum = text("SELECT checksum FROM agreement_documents WHERE id = ?", {*added});

    // Other bytes, well encoded.
    std::string altered = pdf;
    altered[20] = static_cast<char>(altered[20] ^ 1);
    exec("UPDATE agreement_documents SET content = ? WHERE id = ?", {base64url(altered), *added});
    auto r = get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Internal);
    // Bytes cut short.
    exec("UPDATE agreement_documents SET content = ? WHERE id = ?", {base64url(pdf.substr(0, pdf.size() - 1)), *added});
    EXPECT_EQ(get().error().code, Errc::Internal);
    // Text that is not base64url at all.
    for (const std::string bad : {"not base64url!", "JVBERi0xLjc=", "JVBERi0xLjc+/w"}) {
        SCOPED_TRACE(bad);
        exec("UPDATE agreement_documents SET content = ? WHERE id = ?", {bad, *added});
        EXPECT_EQ(get().error().code, Errc::Internal);
    }
    // The right bytes under another checksum.
    exec("UPDATE agreement_documents SET content = ?, checksum = ? WHERE id = ?", {stored, hash_token(altered), *added});
    EXPECT_EQ(get().error().code, Errc::Internal);
    // Put back as stored: served again.
    exec("UPDATE agreement_documents SET checksum = ? WHERE id = ?", {checksum, *added});
    auto back = get();
    ASSERT_TRUE(back) << describe(back.error());
    EXPECT_TRUE(back->data == pdf);
}

// Whether new agreements are needed: each active CSP provider and participant of the area against
// the agreement its role asks for (the gaps first), as agreements are drafted, activated and
// ended; the agreements whose latest evaluation asks for a new one or a renegotiation. The area's
// administrators see their own area, the analyst every area; nobody else.
TEST_F(AgreementStore, CoverageShowsWhichProvidersAndParticipantsLackTheAgreementTheirRoleAsksFor) {
    add_other_area();
    std::int64_t participant = 0, both = 0, inactive = 0;
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        d::Organisation o;
        o.sda_id = other_sda_;
        o.sector = d::Sector::education;
        o.name_fr = "Participant Autre";
        o.name_en = "Other Participant";
        o.csp_roles = {d::CspRole::csp_participant};
        participant = *ids.create_organisation(o, 0);
        o.name_fr = "Partenaire double";
        o.name_en = "Other Two Roles";
        o.csp_roles = {d::CspRole::csp_provider, d::CspRole::csp_participant};
        both = *ids.create_organisation(o, 0);
        o.name_fr = "Fournisseur fermé";
        o.name_en = "Other Closed Provider";
        o.csp_roles = {d::CspRole::csp_provider};
        inactive = *ids.create_organisation(o, 0);
        tx->commit();
    }
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {inactive});

    auto report = [&](const d::Actor& who) {
        auto r = as(who, [&](AgreementRepo& repo) { return repo.coverage(); });
        EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
        return r ? *r : CoverageReport{};
    };
    // organisation:kind:state, in the report's order.
    auto states = [&](const CoverageReport& r) {
        std::vector<std::string> out;
        for (const auto& row : r.rows)
            out.push_back(row.name_en + ":" + std::string(d::code(row.required)) + ":" + std::string(d::code(row.state)));
        return out;
    };

    auto start = report(other_admin_);
    EXPECT_EQ(states(start),
              (std::vector<std::string>{"Other Participant:csp_participant:missing", "Other Provider:csp_provider:missing",
                                        "Other Two Roles:csp_participant:missing", "Other Two Roles:csp_provider:missing"}))
        << "every gap, by name; the agency and an inactive organisation are not asked";
    EXPECT_EQ(start.rows[0].organisation_id, participant);
    EXPECT_EQ(start.rows[0].role, d::CspRole::csp_participant);
    EXPECT_EQ(start.covered, 0);
    EXPECT_EQ(start.gaps, 4);
    EXPECT_TRUE(start.flagged.empty());

    // Drafted, then in force: the provider is covered and goes after the gaps.
    const auto id = as(other_admin_, [&](AgreementRepo& r) {
        return r.create(form("csp_provider", {other_agency_, other_provider_}));
    });
    ASSERT_TRUE(id) << describe(id.error());
    EXPECT_EQ(states(report(other_admin_))[3], "Other Provider:csp_provider:draft_only");
    ASSERT_TRUE(as(other_admin_, [&](AgreementRepo& r) { return r.fire(*id, d::AgreementEvent::activate, ""); }));
    auto covered = report(other_admin_);
    EXPECT_EQ(states(covered).back(), "Other Provider:csp_provider:covered");
    EXPECT_EQ(covered.covered, 1);
    EXPECT_EQ(covered.gaps, 3);
    ASSERT_EQ(covered.rows.back().agreements.size(), 1u);
    EXPECT_EQ(covered.rows.back().agreements[0].id, *id);
    EXPECT_EQ(covered.rows.back().agreements[0].status, d::AgreementStatus::active);

    // A participant agreement does not cover a provider's role, nor the reverse.
    const auto participation = as(other_admin_, [&](AgreementRepo& r) {
        return r.create(form("csp_participant", {other_agency_, both}));
    });
    ASSERT_TRUE(participation);
    ASSERT_TRUE(as(other_admin_, [&](AgreementRepo& r) { return r.fire(*participation, d::AgreementEvent::activate, ""); }));
    const auto two = states(report(other_admin_));
    EXPECT_NE(std::find(two.begin(), two.end(), "Other Two Roles:csp_participant:covered"), two.end());
    EXPECT_NE(std::find(two.begin(), two.end(), "Other Two Roles:csp_provider:missing"), two.end());

    // An evaluation asking for a new agreement flags it, until a later one keeps it.
    d::EvaluationForm e{today_.iso(), "", "", "The provider now also runs a respite program", "", "new_agreement_needed", ""};
    ASSERT_TRUE(as(other_admin_, [&](AgreementRepo& r) { return r.add_evaluation(*id, e); }));
    auto flagged = report(other_admin_);
    ASSERT_EQ(flagged.flagged.size(), 1u);
    EXPECT_EQ(flagged.flagged[0].id, *id);
    EXPECT_EQ(flagged.flagged[0].parties.size(), 2u);
    e.outcome = "keep";
    e.findings = "The respite program is covered by an annex";
    ASSERT_TRUE(as(other_admin_, [&](AgreementRepo& r) { return r.add_evaluation(*id, e); }));
    EXPECT_TRUE(report(other_admin_).flagged.empty());

    // Ended: lapsed, a gap again.
    ASSERT_TRUE(as(other_admin_, [&](AgreementRepo& r) { return r.fire(*id, d::AgreementEvent::terminate, "Merged"); }));
    const auto lapsed = states(report(other_admin_));
    EXPECT_NE(std::find(lapsed.begin(), lapsed.end(), "Other Provider:csp_provider:lapsed"), lapsed.end());

    // Each area's administrators see their own; the analyst both; nobody else.
    for (const auto& row : report(admin_).rows) EXPECT_NE(row.area_en, "Other area") << row.name_en;
    std::set<std::string> areas;
    for (const auto& row : report(analyst_).rows) areas.insert(row.area_en);
    EXPECT_EQ(areas.count("Other area"), 1u);
    EXPECT_GE(areas.size(), 2u);
    EXPECT_EQ(as(manager_, [&](AgreementRepo& r) { return r.coverage(); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(coordinator_, [&](AgreementRepo& r) { return r.coverage(); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(std::nullopt, [&](AgreementRepo& r) { return r.coverage(); }).error().code, Errc::Forbidden);
}
