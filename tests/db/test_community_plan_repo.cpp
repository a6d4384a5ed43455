// The community plans registry's repository (features/network/store/community_plan_repo.hpp),
// against SQLite (label db) and PostgreSQL (label pg), on the demo data (the Demo East Region, its
// coordinating agency's administrator, providers and their managers, the municipality, the
// ministry's analyst) and another area made here. A plan is recorded in development with its
// reference, areas, organisations and first event, by an administrator of one of its areas; its
// next review is computed from its cycle and its last approval; its terms change only from the
// version shown (a stale form is a conflict before its field errors; each move is a new version)
// and not once retired; it moves through the table with an event row each time (approving writes
// its date and next review with the status, retiring needs its reason and clears the next
// review); an inactive area is not offered nor named anew but stays on the plans that involve it;
// an administrator keeps the other areas a plan involves; bad input and refusals change nothing. Each reader sees the plans of
// their organisation's area, the analyst every plan; anyone else is refused. The reminder job tells the administrators of every
// area a plan involves once per plan, kind of reminder and date.
// Every count here is of the plans made here.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <set>

#include "app/demo_data.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/network/store/community_plan_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/transitions.hpp"
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

// "ok", or the refusal's key and its field errors: "error.invalid areas:network.plan.own_area".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : fields_of(r.error())) out += " " + f;
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

using Ids = std::vector<std::int64_t>;

Ids sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The ids of `list` that are in `mine`, in the list's order.
Ids ids_in(const std::vector<CommunityPlanSummary>& list, const std::set<std::int64_t>& mine) {
    Ids out;
    for (const auto& s : list)
        if (mine.count(s.id)) out.push_back(s.id);
    return out;
}

std::vector<d::CommunityPlanEvent> sorted(std::vector<d::CommunityPlanEvent> events) {
    std::sort(events.begin(), events.end());
    return events;
}

const Catalogue& catalogue() {
    static const Catalogue c = web::load_catalogue();
    return c;
}

constexpr LifecycleTables plan_tables{"community_plans", "community_plan_events", "plan_id"};

}  // namespace

class CommunityPlanStore : public ::testing::Test {
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
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        agency_ = admin_.organisation_id;
        prov1_ = manager_.organisation_id;
        town_ = testsupport::actor_of(*t_->db, "staff.town@demo.arrimage.invalid").organisation_id;
        ctc_ = testsupport::actor_of(*t_->db, "manager.ctc@demo.arrimage.invalid").organisation_id;
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisations WHERE id IN (?, ?, ?) AND sda_id = ?", {prov1_, town_, ctc_, sda_}),
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
    Ids numbers(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        Ids out;
        for (const auto& r : tx->query(sql, p)) out.push_back(r.i64(0));
        return out;
    }
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    // The demo's plans retired (and their reminders removed), for the tests that count the
    // reminders of the plans they make.
    void retire_demo_plans() {
        exec("DELETE FROM notifications WHERE kind = 'network'");
        exec("UPDATE community_plans SET status = 'retired'");
    }
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }
    std::int64_t rows_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM community_plans) + (SELECT COUNT(*) FROM community_plan_areas) + "
            "(SELECT COUNT(*) FROM community_plan_organisations) + (SELECT COUNT(*) FROM community_plan_events)");
    }

    // One request: the repository for `who` (nullopt: nobody signed in) at `clock`'s time, in a
    // write transaction committed only when the operation succeeded, as the request pipeline
    // rolls back a refused or invalid write.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        CommunityPlanRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
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

    // The municipality's community safety and well-being plan for this area, with the first
    // provider and the treatment centre, reviewed every ten years.
    d::CommunityPlanForm form() const {
        d::CommunityPlanForm f;
        f.title_fr = "Plan de sécurité et de bien-être communautaires Démo";
        f.title_en = "Demo community safety and well-being plan";
        f.kind = "community_safety_wellbeing";
        f.owner_organisation = std::to_string(town_);
        f.description = "Risk factors, protective factors and the partners' actions.\nReviewed with the police board.";
        f.scope = "The town and its rural townships";
        f.cycle = "every_10_years";
        f.organisations = {std::to_string(prov1_), std::to_string(ctc_)};
        f.areas = {std::to_string(sda_)};
        return f;
    }
    // Reviewed on a fixed date, `n` days from today.
    d::CommunityPlanForm fixed(int n) const {
        auto f = form();
        f.cycle = "fixed_date";
        f.fixed_review_on = day(n);
        return f;
    }

    std::int64_t create(const d::CommunityPlanForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](CommunityPlanRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    Result<d::CommunityPlanStatus> fire(std::int64_t id, d::CommunityPlanEvent e, const std::string& note = {},
                                        const std::string& approved_on = {}, const d::Actor* who = nullptr) {
        return as(who ? *who : admin_, [&](CommunityPlanRepo& r) { return r.fire(id, e, note, approved_on); });
    }
    std::string status_of(std::int64_t id) { return text("SELECT status FROM community_plans WHERE id = ?", {id}); }
    std::string column(std::int64_t id, const std::string& name) {
        return text("SELECT " + name + " FROM community_plans WHERE id = ?", {id});
    }
    std::vector<std::string> events_of(std::int64_t id) {
        return texts("SELECT event || '/' || status FROM community_plan_events WHERE plan_id = ? ORDER BY id", {id});
    }

    // Another area with its own coordinating agency, a provider, an administrator and a manager.
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
        const auto manager = *ids.create_user({"other.manager@example.org", "Oscar Autre-Gestion", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(manager, {other_provider_, d::Role::provider_manager}, 0));
        tx->commit();
        other_admin_ = {user, other_agency_, d::Role::ca_admin};
        other_manager_ = {manager, other_provider_, d::Role::provider_manager};
    }

    // An area with nothing in it yet ("third"), active or not.
    std::int64_t add_area(const std::string& code, bool active = true) {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        const auto id = *ids.create_sda({code, "Zone " + code, "Area " + code}, 0);
        if (!active) {
            EXPECT_TRUE(ids.set_sda_active(id, false, 0));
        }
        tx->commit();
        return id;
    }
    void set_area_active(std::int64_t id, bool active) {
        auto tx = t_->db->begin(TxMode::write);
        EXPECT_TRUE(IdentityRepo(*tx, clock_).set_sda_active(id, active, 0));
        tx->commit();
    }
    std::int64_t version_of(std::int64_t id) { return scalar("SELECT version FROM community_plans WHERE id = ?", {id}); }

    ManualClock clock_{std::chrono::system_clock::now()};
    Date today_;
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coordinator_, analyst_, manager_, other_admin_, other_manager_;
    std::int64_t sda_ = 0, agency_ = 0, prov1_ = 0, town_ = 0, ctc_ = 0;
    std::int64_t other_sda_ = 0, other_agency_ = 0, other_provider_ = 0;
};

TEST_F(CommunityPlanStore, APlanIsRecordedInDevelopmentWithEveryFieldItsReferenceLinksAndFirstEvent) {
    add_other_area();
    auto f = form();
    f.kind = "housing_homelessness";
    f.yearly_progress = "1";
    f.organisations = {std::to_string(ctc_), std::to_string(prov1_), std::to_string(ctc_), std::to_string(other_provider_)};
    f.areas = {std::to_string(other_sda_), std::to_string(sda_), std::to_string(sda_)};
    const auto before = rows_written();
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_EQ(rows_written(), before + 1 + 2 + 3 + 1) << "the plan, two areas, three organisations, one event";

    const std::string year = format_iso(clock_.now()).substr(0, 4);
    const std::string reference = column(id, "reference");
    EXPECT_TRUE(std::regex_match(reference, std::regex("PLC-" + year + "-[0-9]{4}"))) << reference;
    EXPECT_EQ(status_of(id), "in_development");
    EXPECT_EQ(scalar("SELECT version FROM community_plans WHERE id = ?", {id}), 1);
    EXPECT_EQ(column(id, "title_fr"), "Plan de sécurité et de bien-être communautaires Démo");
    EXPECT_EQ(column(id, "title_en"), "Demo community safety and well-being plan");
    EXPECT_EQ(column(id, "kind"), "housing_homelessness");
    EXPECT_EQ(scalar("SELECT owner_organisation FROM community_plans WHERE id = ?", {id}), town_);
    EXPECT_EQ(column(id, "owner_name"), "");
    EXPECT_EQ(column(id, "description"),
              "Risk factors, protective factors and the partners' actions.\nReviewed with the police board.");
    EXPECT_EQ(column(id, "scope"), "The town and its rural townships");
    EXPECT_EQ(column(id, "cycle"), "every_10_years");
    EXPECT_EQ(column(id, "fixed_review_on"), "");
    EXPECT_EQ(scalar("SELECT yearly_progress FROM community_plans WHERE id = ?", {id}), 1);
    EXPECT_EQ(column(id, "approved_on"), "");
    EXPECT_EQ(column(id, "next_review_on"), "") << "a ten-year cycle starts at the approval";
    EXPECT_EQ(scalar("SELECT created_by FROM community_plans WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM community_plans WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(numbers("SELECT sda_id FROM community_plan_areas WHERE plan_id = ? ORDER BY 1", {id}), sorted({sda_, other_sda_}));
    EXPECT_EQ(numbers("SELECT organisation_id FROM community_plan_organisations WHERE plan_id = ? ORDER BY 1", {id}),
              sorted({prov1_, ctc_, other_provider_}));
    EXPECT_EQ(events_of(id), std::vector<std::string>{"record/in_development"});
    EXPECT_EQ(scalar("SELECT user_id FROM community_plan_events WHERE plan_id = ?", {id}), admin_.user_id);

    auto record = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(record) << outcome(record);
    const auto& s = record->summary;
    EXPECT_EQ(s.id, id);
    EXPECT_EQ(s.reference, reference);
    EXPECT_EQ(s.title_en, "Demo community safety and well-being plan");
    EXPECT_EQ(s.kind, d::CommunityPlanKind::housing_homelessness);
    EXPECT_EQ(s.status, d::CommunityPlanStatus::in_development);
    EXPECT_EQ(s.owner_en, text("SELECT name_en FROM organisations WHERE id = ?", {town_}));
    EXPECT_EQ(s.owner_fr, text("SELECT name_fr FROM organisations WHERE id = ?", {town_}));
    EXPECT_EQ(s.cycle, d::ReviewCycle::every_10_years);
    EXPECT_EQ(s.approved_on, "");
    EXPECT_EQ(s.next_review_on, "");
    EXPECT_EQ(s.next_progress_on, "") << "not approved yet";
    EXPECT_EQ(s.review, d::ReviewState::none);
    ASSERT_EQ(s.areas.size(), 2u);
    EXPECT_EQ(s.areas[0].name_en, "Demo East Region") << "by name";
    EXPECT_EQ(s.areas[1].id, other_sda_);
    EXPECT_EQ(s.areas[1].name_fr, "Autre zone");
    ASSERT_EQ(record->organisations.size(), 3u);
    std::vector<std::string> names;
    for (const auto& o : record->organisations) names.push_back(o.name_en);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << "by name";
    EXPECT_EQ(record->terms.organisations, sorted({prov1_, ctc_, other_provider_}));
    EXPECT_EQ(record->terms.areas, sorted({sda_, other_sda_}));
    EXPECT_EQ(record->terms.owner_organisation, std::optional<std::int64_t>(town_));
    EXPECT_EQ(record->terms.owner_name, "");
    EXPECT_EQ(record->terms.title_fr, "Plan de sécurité et de bien-être communautaires Démo");
    EXPECT_EQ(record->terms.kind, d::CommunityPlanKind::housing_homelessness);
    EXPECT_EQ(record->terms.scope, "The town and its rural townships");
    EXPECT_EQ(record->terms.cycle, d::ReviewCycle::every_10_years);
    EXPECT_FALSE(record->terms.fixed_review_on);
    EXPECT_TRUE(record->terms.yearly_progress);
    EXPECT_EQ(record->version, 1);
    ASSERT_EQ(record->events.size(), 1u);
    EXPECT_EQ(record->events[0].event, "record");
    EXPECT_EQ(record->events[0].status, "in_development");
    EXPECT_EQ(record->events[0].user_name, "Claude Admin-Démo");
    EXPECT_EQ(sorted(record->available), sorted({d::CommunityPlanEvent::approve, d::CommunityPlanEvent::retire}));
    EXPECT_TRUE(record->may_edit);

    // References count up within the year; a fixed review date is the next review from the start.
    const auto second = create(fixed(400));
    ASSERT_GT(second, 0);
    const std::string next = column(second, "reference");
    EXPECT_EQ(std::stoi(next.substr(9)), std::stoi(reference.substr(9)) + 1) << reference << " then " << next;
    EXPECT_EQ(column(second, "fixed_review_on"), day(400));
    EXPECT_EQ(column(second, "next_review_on"), day(400));
    auto upcoming = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(second); });
    ASSERT_TRUE(upcoming);
    EXPECT_EQ(upcoming->summary.review, d::ReviewState::upcoming);
    EXPECT_EQ(upcoming->terms.fixed_review_on ? upcoming->terms.fixed_review_on->iso() : "", day(400));
}

TEST_F(CommunityPlanStore, TheOwnerIsAnOrganisationOfTheRegistryOrAName) {
    auto f = form();
    f.kind = "policy_review";
    f.owner_organisation = "";
    f.owner_name = "Ministère des Services à l'enfance et des Services sociaux et communautaires";
    f.cycle = "ongoing";
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_TRUE(text("SELECT CASE WHEN owner_organisation IS NULL THEN 'none' ELSE 'some' END FROM community_plans WHERE "
                     "id = ?",
                     {id}) == "none");
    EXPECT_EQ(column(id, "owner_name"), f.owner_name);
    EXPECT_EQ(column(id, "next_review_on"), "") << "ongoing: no date";
    auto record = as(analyst_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->summary.owner_fr, f.owner_name);
    EXPECT_EQ(record->summary.owner_en, f.owner_name) << "the name twice";
    EXPECT_FALSE(record->terms.owner_organisation);
    EXPECT_EQ(record->terms.owner_name, f.owner_name);

    // Neither: refused, nothing written.
    const auto snap = snapshot();
    f.owner_name = "";
    auto none = as(admin_, [&](CommunityPlanRepo& r) { return r.create(f); });
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Errc::Invalid);
    EXPECT_TRUE(has(fields_of(none.error()), "owner_organisation:network.plan.owner_required")) << outcome(none);
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(CommunityPlanStore, FieldErrorsUnknownOrInactiveLinksAndAPlanOutsideTheOwnAreaWriteNothing) {
    add_other_area();
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {ctc_});
    const auto before = rows_written();
    const auto snap = snapshot();
    auto refused = [&](const d::CommunityPlanForm& f) {
        auto r = as(admin_, [&](CommunityPlanRepo& repo) { return repo.create(f); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    using Fields = std::vector<std::string>;
    // The plan without the treatment centre, deactivated here.
    auto form = [&] {
        auto f = CommunityPlanStore::form();
        f.organisations = {std::to_string(prov1_)};
        return f;
    };
    auto f = form();
    f.title_fr = "";
    EXPECT_TRUE(has(refused(f), "title_fr:field.required"));
    f = form();
    f.areas = {};
    EXPECT_TRUE(has(refused(f), "areas:field.choose_at_least_one"));
    f = form();
    f.kind = "municipal";
    EXPECT_TRUE(has(refused(f), "kind:field.choose_from_list"));
    f = fixed(10);
    f.fixed_review_on = "";
    EXPECT_TRUE(has(refused(f), "fixed_review_on:field.required"));

    f = form();
    f.organisations.push_back("999999999");
    EXPECT_EQ(refused(f), Fields{"organisations:field.choose_from_list"}) << "no such organisation";
    f = form();
    f.organisations.push_back(std::to_string(ctc_));
    EXPECT_EQ(refused(f), Fields{"organisations:field.choose_from_list"}) << "an inactive organisation";
    f = form();
    f.owner_organisation = "999999999";
    EXPECT_EQ(refused(f), Fields{"owner_organisation:field.choose_from_list"}) << "no such owner";
    f = form();
    f.owner_organisation = std::to_string(ctc_);
    EXPECT_EQ(refused(f), Fields{"owner_organisation:field.choose_from_list"}) << "an inactive owner";
    f = form();
    f.areas.push_back("999999999");
    EXPECT_EQ(refused(f), Fields{"areas:field.choose_from_list"}) << "no such area";
    f = form();
    f.areas = {std::to_string(other_sda_)};
    EXPECT_EQ(refused(f), Fields{"areas:network.plan.own_area"}) << "another area's plan only";
    EXPECT_EQ(rows_written(), before);
    EXPECT_EQ(snapshot(), snap);

    // The other area's administrator records a plan of both areas; another area's organisation
    // may be involved.
    f = form();
    f.areas = {std::to_string(other_sda_), std::to_string(sda_)};
    f.organisations = {std::to_string(other_provider_), std::to_string(prov1_)};
    const auto both = create(f, &other_admin_);
    ASSERT_GT(both, 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM community_plan_areas WHERE plan_id = ?", {both}), 2);
}

TEST_F(CommunityPlanStore, TheFormOffersActiveOrganisationsOfEveryAreaAndTheActiveAreas) {
    add_other_area();
    const auto closed = add_area("closed", false);
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {ctc_});
    auto choices = as(admin_, [](CommunityPlanRepo& r) { return r.choices(); });
    ASSERT_TRUE(choices) << outcome(choices);
    Ids organisations, areas;
    for (const auto& o : choices->organisations) organisations.push_back(o.id);
    for (const auto& a : choices->areas) areas.push_back(a.id);
    EXPECT_EQ(sorted(organisations), numbers("SELECT id FROM organisations WHERE active = 1 ORDER BY id"));
    EXPECT_NE(std::find(organisations.begin(), organisations.end(), other_provider_), organisations.end());
    EXPECT_EQ(std::find(organisations.begin(), organisations.end(), ctc_), organisations.end()) << "inactive";
    EXPECT_EQ(sorted(areas), numbers("SELECT id FROM service_delivery_areas WHERE active = 1 ORDER BY id"));
    EXPECT_NE(std::find(areas.begin(), areas.end(), other_sda_), areas.end());
    EXPECT_EQ(std::find(areas.begin(), areas.end(), closed), areas.end()) << "inactive";
    std::vector<std::string> names;
    for (const auto& a : choices->areas) names.push_back(a.name_en);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << "by name";
    for (const auto& who : {analyst_, manager_, coordinator_})
        EXPECT_EQ(as(who, [](CommunityPlanRepo& r) { return r.choices(); }).error().code, Errc::Forbidden);
}

TEST_F(CommunityPlanStore, TheRegistryIsFilteredByKindStatusAreaAndReview) {
    add_other_area();
    auto with = [&](const std::string& kind, int review) {
        auto f = fixed(review);
        f.kind = kind;
        return f;
    };
    const auto p1 = create(with("community_safety_wellbeing", 10));
    const auto p2 = create(with("childrens_services", 60));
    auto both = with("childrens_services", 200);
    both.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    const auto p3 = create(both);
    auto ongoing = form();
    ongoing.kind = "navigation_model";
    ongoing.cycle = "ongoing";
    const auto p4 = create(ongoing);  // no date: last
    const auto p5 = create(with("childrens_services", 5));
    ASSERT_TRUE(fire(p5, d::CommunityPlanEvent::retire, "Replaced by the regional plan."));
    ASSERT_TRUE(fire(p2, d::CommunityPlanEvent::approve, "", day(0)));
    const std::set<std::int64_t> mine = {p1, p2, p3, p4, p5};
    auto registry = [&](const CommunityPlanQuery& q, const Clock& clock) {
        auto list = as_at(admin_, clock, [&](CommunityPlanRepo& r) { return r.list(q); });
        EXPECT_TRUE(list) << outcome(list);
        return list ? ids_in(*list, mine) : Ids{};
    };
    const auto now = at(0);
    EXPECT_EQ(registry({}, now), (Ids{p1, p2, p3, p4, p5})) << "by next review, none (and the retired one) last";
    EXPECT_EQ(registry({"childrens_services", "", "", ""}, now), (Ids{p2, p3, p5}));
    EXPECT_EQ(registry({"navigation_model", "", "", ""}, now), (Ids{p4}));
    EXPECT_EQ(registry({"", "approved", "", ""}, now), (Ids{p2}));
    EXPECT_EQ(registry({"", "retired", "", ""}, now), (Ids{p5}));
    EXPECT_EQ(registry({"", "in_development", "", ""}, now), (Ids{p1, p3, p4}));
    EXPECT_EQ(registry({"", "under_review", "", ""}, now), Ids{});
    EXPECT_EQ(registry({"", "", std::to_string(other_sda_), ""}, now), (Ids{p3}));
    EXPECT_EQ(registry({"", "", std::to_string(sda_), ""}, now), (Ids{p1, p2, p3, p4, p5}));
    EXPECT_EQ(registry({"", "", "", "due_soon"}, now), (Ids{p1, p2})) << "within 90 days; not the retired one";
    EXPECT_EQ(registry({"", "", "", "overdue"}, now), Ids{});
    EXPECT_EQ(registry({"childrens_services", "", "", "due_soon"}, now), (Ids{p2}));

    // The review's state is the clock's.
    const auto later = at(20);
    EXPECT_EQ(registry({"", "", "", "overdue"}, later), (Ids{p1}));
    EXPECT_EQ(registry({"", "", "", "due_soon"}, later), (Ids{p2}));
    const auto much_later = at(150);
    EXPECT_EQ(registry({"", "", "", "overdue"}, much_later), (Ids{p1, p2}));
    EXPECT_EQ(registry({"", "", "", "due_soon"}, much_later), (Ids{p3}));
    auto list = as_at(admin_, later, [](CommunityPlanRepo& r) { return r.list({}); });
    ASSERT_TRUE(list);
    std::map<std::int64_t, d::ReviewState> states;
    for (const auto& s : *list) states[s.id] = s.review;
    EXPECT_EQ(states[p1], d::ReviewState::overdue);
    EXPECT_EQ(states[p2], d::ReviewState::due_soon);
    EXPECT_EQ(states[p3], d::ReviewState::upcoming);
    EXPECT_EQ(states[p4], d::ReviewState::none) << "no date";
    EXPECT_EQ(states[p5], d::ReviewState::none) << "retired";
    auto filtered = as(admin_, [&](CommunityPlanRepo& r) { return r.list({"", "", std::to_string(other_sda_), ""}); });
    ASSERT_TRUE(filtered);
    ASSERT_EQ(ids_in(*filtered, mine), Ids{p3});
    auto third = std::find_if(filtered->begin(), filtered->end(), [&](const CommunityPlanSummary& s) { return s.id == p3; });
    EXPECT_EQ(third->areas.size(), 2u) << "filtered by area, still with every area";

    auto refused = [&](const CommunityPlanQuery& q) {
        auto r = as(admin_, [&](CommunityPlanRepo& repo) { return repo.list(q); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    using Fields = std::vector<std::string>;
    EXPECT_EQ(refused({"municipal", "", "", ""}), Fields{"kind:field.choose_from_list"});
    EXPECT_EQ(refused({"", "open", "", ""}), Fields{"status:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "east", ""}), Fields{"area:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "-3", ""}), Fields{"area:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "999999999", ""}), Fields{"area:field.choose_from_list"}) << "no such area";
    EXPECT_EQ(refused({"", "", "", "late"}), Fields{"review:field.choose_from_list"});
    EXPECT_EQ(refused({"", "", "", "upcoming"}), Fields{"review:field.choose_from_list"});
    EXPECT_EQ(refused({"x", "y", "z", "w"}), (Fields{"kind:field.choose_from_list", "status:field.choose_from_list",
                                                     "area:field.choose_from_list", "review:field.choose_from_list"}));
}

TEST_F(CommunityPlanStore, EachReaderSeesThePlansOfTheirAreaAndNothingElseIsFound) {
    add_other_area();
    const auto own = create(form());
    auto f = form();
    f.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    const auto shared = create(f);
    f.areas = {std::to_string(other_sda_)};
    f.organisations = {std::to_string(other_provider_)};
    const auto far = create(f, &other_admin_);
    ASSERT_GT(far, 0);
    const std::set<std::int64_t> mine = {own, shared, far};
    auto sees = [&](const d::Actor& who) {
        auto list = as(who, [](CommunityPlanRepo& r) { return r.list({}); });
        EXPECT_TRUE(list) << outcome(list);
        return sorted(list ? ids_in(*list, mine) : Ids{});
    };
    auto read = [&](const d::Actor& who, std::int64_t id) { return as(who, [&](CommunityPlanRepo& r) { return r.plan(id); }); };

    // The analyst: every plan, to read only.
    EXPECT_EQ(sees(analyst_), sorted({own, shared, far}));
    auto seen = read(analyst_, far);
    ASSERT_TRUE(seen) << outcome(seen);
    EXPECT_TRUE(seen->available.empty());
    EXPECT_FALSE(seen->may_edit);

    // A provider manager: the plans involving their organisation's area, to read only.
    EXPECT_EQ(sees(manager_), sorted({own, shared}));
    EXPECT_EQ(sees(other_manager_), sorted({shared, far}));
    auto theirs = read(manager_, shared);
    ASSERT_TRUE(theirs) << outcome(theirs);
    EXPECT_TRUE(theirs->available.empty());
    EXPECT_FALSE(theirs->may_edit);
    EXPECT_EQ(read(manager_, far).error().code, Errc::NotFound);
    EXPECT_EQ(read(other_manager_, own).error().code, Errc::NotFound);
    auto filtered = as(manager_, [&](CommunityPlanRepo& r) { return r.list({"", "", std::to_string(other_sda_), ""}); });
    ASSERT_TRUE(filtered);
    EXPECT_EQ(ids_in(*filtered, mine), Ids{shared}) << "a filter never widens what the manager sees";

    // Each area's administrators: the plans involving their area, which they change and move.
    EXPECT_EQ(sees(admin_), sorted({own, shared}));
    EXPECT_EQ(sees(other_admin_), sorted({shared, far}));
    auto managed = read(other_admin_, shared);
    ASSERT_TRUE(managed) << outcome(managed);
    EXPECT_TRUE(managed->may_edit);
    EXPECT_FALSE(managed->available.empty());

    const auto snap = snapshot();
    EXPECT_EQ(read(admin_, far).error().code, Errc::NotFound);
    EXPECT_EQ(read(other_admin_, own).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](CommunityPlanRepo& r) { return r.update(far, 1, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(fire(far, d::CommunityPlanEvent::retire, "Not ours").error().code, Errc::NotFound);
    EXPECT_EQ(read(admin_, own + far + shared + 1000).error().code, Errc::NotFound);

    // Anyone else is refused, whatever the plan; nobody but an administrator writes.
    const auto family = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    ASSERT_GT(family, 0);
    std::vector<std::optional<d::Actor>> refused = {
        coordinator_,
        testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid"),
        d::Actor{family, 0, d::Role::family},
        std::nullopt,
    };
    for (const auto& who : refused) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [](CommunityPlanRepo& r) { return r.list({}); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](CommunityPlanRepo& r) { return r.list({"x", "", "", ""}); }).error().code, Errc::Forbidden);
        for (auto id : {own, far}) {
            EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.plan(id); }).error().code, Errc::Forbidden);
            EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.update(id, 1, form()); }).error().code, Errc::Forbidden);
            EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.fire(id, d::CommunityPlanEvent::approve, "", day(0)); })
                          .error()
                          .code,
                      Errc::Forbidden);
        }
        EXPECT_EQ(as(who, [](CommunityPlanRepo& r) { return r.choices(); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
        auto tx = t_->db->begin(TxMode::read);
        EXPECT_FALSE(CommunityPlanRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage());
    }
    for (const auto& who : {analyst_, manager_}) {
        SCOPED_TRACE(d::code(who.role));
        EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](CommunityPlanRepo& r) { return r.update(own, 1, form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(fire(own, d::CommunityPlanEvent::approve, "", day(0), &who).error().code, Errc::Forbidden);
        auto tx = t_->db->begin(TxMode::read);
        EXPECT_FALSE(CommunityPlanRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage());
    }
    EXPECT_EQ(snapshot(), snap);
    auto tx = t_->db->begin(TxMode::read);
    EXPECT_TRUE(CommunityPlanRepo(testsupport::AccessForTests::as(*tx, clock_, admin_, "test")).may_manage());
}

TEST_F(CommunityPlanStore, TermsChangeOnlyFromTheVersionShownAndTheNextReviewFollows) {
    const auto id = create(form());
    auto f = fixed(300);
    f.title_en = "Demo community safety and well-being plan, renewed";
    f.organisations = {std::to_string(prov1_)};
    f.yearly_progress = "1";
    auto changed = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, f); });
    ASSERT_TRUE(changed) << outcome(changed);
    EXPECT_EQ(scalar("SELECT version FROM community_plans WHERE id = ?", {id}), 2);
    EXPECT_EQ(column(id, "title_en"), "Demo community safety and well-being plan, renewed");
    EXPECT_EQ(column(id, "cycle"), "fixed_date");
    EXPECT_EQ(column(id, "fixed_review_on"), day(300));
    EXPECT_EQ(column(id, "next_review_on"), day(300)) << "computed again";
    EXPECT_EQ(scalar("SELECT yearly_progress FROM community_plans WHERE id = ?", {id}), 1);
    EXPECT_EQ(numbers("SELECT organisation_id FROM community_plan_organisations WHERE plan_id = ?", {id}), Ids{prov1_});
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"record/in_development", "amend/in_development"}));
    EXPECT_EQ(scalar("SELECT user_id FROM community_plan_events WHERE plan_id = ? AND event = 'amend'", {id}), admin_.user_id);

    // A form shown before that change is refused, and changes nothing.
    const auto snap = snapshot();
    auto g = form();
    g.title_en = "Another change";
    auto stale = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, g); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "network.plan.changed_meanwhile");
    g.areas = {};
    auto invalid = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 2, g); });
    ASSERT_FALSE(invalid);
    EXPECT_TRUE(has(fields_of(invalid.error()), "areas:field.choose_at_least_one")) << outcome(invalid);
    // Stale and wrong: the conflict first, so that the form is never shown again over the
    // current version with the other person's change silently under it.
    auto stale_and_wrong = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, g); });
    ASSERT_FALSE(stale_and_wrong);
    EXPECT_EQ(stale_and_wrong.error().code, Errc::Conflict) << outcome(stale_and_wrong);
    EXPECT_EQ(stale_and_wrong.error().message_key, "network.plan.changed_meanwhile");
    EXPECT_TRUE(stale_and_wrong.error().fields.empty());
    g = form();
    g.owner_name = "Ontario Health";  // both owners: a field error too
    EXPECT_EQ(outcome(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, g); })), "network.plan.changed_meanwhile");
    EXPECT_EQ(outcome(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 3, g); })), "network.plan.changed_meanwhile")
        << "a version not reached yet";
    g = form();
    g.areas = {"999999999", std::to_string(sda_)};
    EXPECT_EQ(fields_of(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 2, g); }).error()),
              std::vector<std::string>{"areas:field.choose_from_list"});
    EXPECT_EQ(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id + 1000, 2, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);

    // An organisation deactivated since stays allowed on the plan that names it; not on another.
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {prov1_});
    g = form();
    g.organisations = {std::to_string(prov1_)};
    auto kept = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 2, g); });
    ASSERT_TRUE(kept) << outcome(kept);
    EXPECT_EQ(column(id, "next_review_on"), "") << "back to ten years from an approval it does not have yet";
    EXPECT_EQ(fields_of(as(admin_, [&](CommunityPlanRepo& r) { return r.create(g); }).error()),
              std::vector<std::string>{"organisations:field.choose_from_list"});

    // Once approved (a move: version 4), a fixed review date may not come before the approval.
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::approve, "", day(-30)));
    EXPECT_EQ(scalar("SELECT version FROM community_plans WHERE id = ?", {id}), 4);
    auto before_approval = fixed(-31);
    auto early = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 4, before_approval); });
    ASSERT_FALSE(early);
    EXPECT_TRUE(has(fields_of(early.error()), "fixed_review_on:network.plan.review_before_approval")) << outcome(early);
    auto on_time = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 4, fixed(100)); });
    ASSERT_TRUE(on_time) << outcome(on_time);
    EXPECT_EQ(column(id, "next_review_on"), day(100));
    EXPECT_EQ(column(id, "approved_on"), day(-30)) << "the terms never change the approval";
    EXPECT_EQ(events_of(id).back(), "amend/approved");
}

TEST_F(CommunityPlanStore, ApprovingWritesItsDateAndTheNextReviewWithTheStatus) {
    const auto id = create(form());  // every ten years
    const auto snap = snapshot();
    for (const std::string bad : {"", "2026-02-30", "soon"}) {
        auto r = fire(id, d::CommunityPlanEvent::approve, "", bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, Errc::Invalid);
        ASSERT_FALSE(r.error().fields.empty());
        for (const auto& e : r.error().fields) EXPECT_EQ(e.field, "approved_on") << bad;
    }
    auto future = fire(id, d::CommunityPlanEvent::approve, "", day(1));
    ASSERT_FALSE(future);
    EXPECT_EQ(fields_of(future.error()), std::vector<std::string>{"approved_on:network.plan.approved_in_future"});
    EXPECT_EQ(snapshot(), snap);

    auto approved = fire(id, d::CommunityPlanEvent::approve, "", day(-100));
    ASSERT_TRUE(approved) << outcome(approved);
    EXPECT_EQ(*approved, d::CommunityPlanStatus::approved);
    EXPECT_EQ(status_of(id), "approved");
    EXPECT_EQ(column(id, "approved_on"), day(-100));
    const auto first = *parse_date(day(-100));
    EXPECT_EQ(column(id, "next_review_on"), add_years(first, 10).iso()) << "ten years later";
    EXPECT_EQ(scalar("SELECT updated_by FROM community_plans WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"record/in_development", "approve/approved"}));
    EXPECT_EQ(scalar("SELECT user_id FROM community_plan_events WHERE plan_id = ? AND event = 'approve'", {id}), admin_.user_id);
    auto record = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(record);
    EXPECT_EQ(record->summary.approved_on, day(-100));
    EXPECT_EQ(record->summary.next_review_on, add_years(first, 10).iso());
    EXPECT_EQ(record->summary.review, d::ReviewState::upcoming);
    EXPECT_EQ(sorted(record->available), sorted({d::CommunityPlanEvent::open_review, d::CommunityPlanEvent::retire}));

    // A five-year plan: five years later.
    auto five = form();
    five.kind = "childrens_services";
    five.cycle = "every_5_years";
    const auto other = create(five);
    ASSERT_TRUE(fire(other, d::CommunityPlanEvent::approve, "", day(0)));
    EXPECT_EQ(column(other, "next_review_on"), add_years(today_, 5).iso());

    // The review: opened, then a new approval not before the previous one.
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::open_review));
    EXPECT_EQ(status_of(id), "under_review");
    const auto reviewing = snapshot();
    auto backwards = fire(id, d::CommunityPlanEvent::reapprove, "", day(-101));
    ASSERT_FALSE(backwards);
    EXPECT_EQ(fields_of(backwards.error()), std::vector<std::string>{"approved_on:network.plan.approval_before_previous"});
    EXPECT_EQ(snapshot(), reviewing);
    auto again = fire(id, d::CommunityPlanEvent::reapprove, "", day(-2));
    ASSERT_TRUE(again) << outcome(again);
    EXPECT_EQ(*again, d::CommunityPlanStatus::approved);
    EXPECT_EQ(column(id, "approved_on"), day(-2));
    EXPECT_EQ(column(id, "next_review_on"), add_years(*parse_date(day(-2)), 10).iso());
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"record/in_development", "approve/approved", "open_review/under_review",
                                                       "reapprove/approved"}));

    // A fixed review date stays the next review; an approval after it is refused.
    const auto dated = create(fixed(30));
    auto after = fire(dated, d::CommunityPlanEvent::approve, "", day(0));
    ASSERT_TRUE(after) << outcome(after);
    EXPECT_EQ(column(dated, "next_review_on"), day(30));
    ASSERT_TRUE(fire(dated, d::CommunityPlanEvent::open_review));
    auto late =
        as_at(admin_, at(40), [&](CommunityPlanRepo& r) { return r.fire(dated, d::CommunityPlanEvent::reapprove, "", day(35)); });
    ASSERT_FALSE(late);
    EXPECT_EQ(fields_of(late.error()), std::vector<std::string>{"approved_on:network.plan.approval_after_fixed_review"})
        << outcome(late);
}

TEST_F(CommunityPlanStore, RetiringNeedsAReasonAndARetiredPlanNoLongerChanges) {
    auto f = form();
    f.yearly_progress = "1";
    const auto id = create(f);
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::approve, "", day(-200)));
    const auto snap = snapshot();
    for (const std::string note : {"", "   "}) {
        auto bare = fire(id, d::CommunityPlanEvent::retire, note);
        ASSERT_FALSE(bare);
        EXPECT_EQ(bare.error().code, Errc::Invalid);
        EXPECT_EQ(fields_of(bare.error()), std::vector<std::string>{"note:field.required"});
    }
    auto long_note = fire(id, d::CommunityPlanEvent::retire, std::string(2001, 'x'));
    ASSERT_FALSE(long_note);
    EXPECT_EQ(fields_of(long_note.error()), std::vector<std::string>{"note:field.too_long"});
    // The table's refusal comes before the form's errors.
    auto reapprove = fire(id, d::CommunityPlanEvent::reapprove, "", "");
    ASSERT_FALSE(reapprove);
    EXPECT_EQ(reapprove.error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(snapshot(), snap);

    ASSERT_NE(column(id, "next_review_on"), "");
    auto retired = fire(id, d::CommunityPlanEvent::retire, "Replaced by the regional plan.");
    ASSERT_TRUE(retired) << outcome(retired);
    EXPECT_EQ(*retired, d::CommunityPlanStatus::retired);
    EXPECT_EQ(status_of(id), "retired");
    EXPECT_EQ(column(id, "next_review_on"), "") << "no longer reviewed";
    EXPECT_EQ(column(id, "approved_on"), day(-200)) << "its last approval stays in its history";
    EXPECT_EQ(text("SELECT note FROM community_plan_events WHERE plan_id = ? AND event = 'retire'", {id}),
              "Replaced by the regional plan.");
    EXPECT_EQ(events_of(id).back(), "retire/retired");

    // Retired: its terms and its status stay as they are.
    const auto closed = snapshot();
    auto update = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, form()); });
    ASSERT_FALSE(update);
    EXPECT_EQ(update.error().code, Errc::Conflict);
    EXPECT_EQ(update.error().message_key, "network.plan.retired");
    for (auto e : {d::CommunityPlanEvent::retire, d::CommunityPlanEvent::open_review, d::CommunityPlanEvent::approve}) {
        auto again = fire(id, e, "again", day(0));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().code, Errc::Conflict);
        EXPECT_EQ(again.error().message_key, "lifecycle.not_from_state");
    }
    EXPECT_EQ(snapshot(), closed);
    auto record = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->available.empty());
    EXPECT_FALSE(record->may_edit);
    EXPECT_EQ(record->summary.review, d::ReviewState::none);
    EXPECT_EQ(record->summary.next_review_on, "") << "no review date shown once retired";
    EXPECT_EQ(record->summary.next_progress_on, "") << "no progress report once retired";
}

TEST_F(CommunityPlanStore, ARetiredPlanWithAFixedReviewDateShowsNoneAndSortsLast) {
    const auto dated = create(fixed(10));
    const auto later = create(fixed(20));
    ASSERT_EQ(column(dated, "next_review_on"), day(10)) << "in development, its fixed date is its next review";
    ASSERT_TRUE(fire(dated, d::CommunityPlanEvent::retire, "Merged into the regional plan."));
    EXPECT_EQ(column(dated, "next_review_on"), "");
    EXPECT_EQ(column(dated, "fixed_review_on"), day(10)) << "its terms stay as they were";
    auto list = as(admin_, [](CommunityPlanRepo& r) { return r.list({}); });
    ASSERT_TRUE(list) << outcome(list);
    const auto ids = ids_in(*list, {dated, later});
    EXPECT_EQ(ids, (Ids{later, dated}));
    EXPECT_EQ(list->back().id, dated) << "after every plan with a date, and after those without one recorded before it";
    const auto it = std::find_if(list->begin(), list->end(), [&](const CommunityPlanSummary& s) { return s.id == dated; });
    EXPECT_EQ(it->next_review_on, "");
    EXPECT_EQ(it->review, d::ReviewState::none);
}

TEST_F(CommunityPlanStore, EachMoveIsANewVersionSoAnEditFormOpenedBeforeItIsOutOfDate) {
    const auto id = create(fixed(200));
    auto shown = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(shown);
    ASSERT_EQ(shown->version, 1);
    // A refused move is no new version.
    ASSERT_FALSE(fire(id, d::CommunityPlanEvent::approve, "", day(1)));
    ASSERT_FALSE(fire(id, d::CommunityPlanEvent::reapprove, "", day(0)));
    EXPECT_EQ(version_of(id), 1);

    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::approve, "", day(-10)));
    EXPECT_EQ(version_of(id), 2);
    auto g = fixed(200);
    g.title_en = "Changed over the terms shown before the approval";
    const auto snap = snapshot();
    auto stale = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, shown->version, g); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "network.plan.changed_meanwhile");
    EXPECT_EQ(snapshot(), snap);
    auto again = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(again);
    EXPECT_EQ(again->version, 2) << "the form shown again carries the version after the move";
    auto fresh = as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, again->version, g); });
    ASSERT_TRUE(fresh) << outcome(fresh);
    EXPECT_EQ(version_of(id), 3);

    // Every move: open a review, re-approve, retire.
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::open_review));
    EXPECT_EQ(version_of(id), 4);
    EXPECT_EQ(outcome(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 3, g); })), "network.plan.changed_meanwhile");
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::reapprove, "", day(0)));
    EXPECT_EQ(version_of(id), 5);
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::retire, "Replaced by the regional plan."));
    EXPECT_EQ(version_of(id), 6);
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"record/in_development", "approve/approved", "amend/approved",
                                                       "open_review/under_review", "reapprove/approved", "retire/retired"}));
}

TEST_F(CommunityPlanStore, AnInactiveAreaIsNotNamedAnewButStaysOnThePlansThatInvolveIt) {
    add_other_area();
    auto f = form();
    f.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    const auto shared = create(f);
    const auto own = create(form());
    set_area_active(other_sda_, false);

    // Not on a new plan, nor added to one that does not involve it.
    const auto snap = snapshot();
    auto added = as(admin_, [&](CommunityPlanRepo& r) { return r.create(f); });
    ASSERT_FALSE(added);
    EXPECT_EQ(fields_of(added.error()), std::vector<std::string>{"areas:field.choose_from_list"});
    auto joined = as(admin_, [&](CommunityPlanRepo& r) { return r.update(own, 1, f); });
    ASSERT_FALSE(joined);
    EXPECT_EQ(fields_of(joined.error()), std::vector<std::string>{"areas:field.choose_from_list"});
    EXPECT_EQ(snapshot(), snap);

    // The plan that involves it changes its terms with it.
    f.title_en = "Demo and other area plan, amended";
    auto kept = as(admin_, [&](CommunityPlanRepo& r) { return r.update(shared, 1, f); });
    ASSERT_TRUE(kept) << outcome(kept);
    EXPECT_EQ(numbers("SELECT sda_id FROM community_plan_areas WHERE plan_id = ? ORDER BY 1", {shared}),
              sorted({sda_, other_sda_}));
    EXPECT_EQ(column(shared, "title_en"), "Demo and other area plan, amended");

    // Active again: named anew like any other.
    set_area_active(other_sda_, true);
    auto now_joined = as(admin_, [&](CommunityPlanRepo& r) { return r.update(own, 1, f); });
    ASSERT_TRUE(now_joined) << outcome(now_joined);
}

TEST_F(CommunityPlanStore, AnAdministratorKeepsTheOtherAreasAPlanInvolves) {
    add_other_area();
    const auto third = add_area("third");
    auto f = form();
    f.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    const auto id = create(f);
    const auto snap = snapshot();
    auto refused = [&](const d::Actor& who, std::int64_t version, const d::CommunityPlanForm& g) {
        auto r = as(who, [&](CommunityPlanRepo& repo) { return repo.update(id, static_cast<int>(version), g); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    const std::vector<std::string> kept = {"areas:network.plan.other_area_kept"};

    // This area's administrator may not take the other area off, even for a third one.
    auto g = form();
    EXPECT_EQ(refused(admin_, 1, g), kept);
    g.areas = {std::to_string(sda_), std::to_string(third)};
    EXPECT_EQ(refused(admin_, 1, g), kept);
    // Nor the other area's administrator this one; their own must stay first.
    g.areas = {std::to_string(other_sda_)};
    EXPECT_EQ(refused(other_admin_, 1, g), kept);
    g.areas = {std::to_string(sda_)};
    EXPECT_EQ(refused(other_admin_, 1, g), std::vector<std::string>{"areas:network.plan.own_area"});
    EXPECT_EQ(snapshot(), snap);

    // Adding one is theirs to do; once involved, it is kept like the others, whoever added it.
    g = f;
    g.areas.push_back(std::to_string(third));
    ASSERT_TRUE(as(admin_, [&](CommunityPlanRepo& r) { return r.update(id, 1, g); }));
    EXPECT_EQ(numbers("SELECT sda_id FROM community_plan_areas WHERE plan_id = ? ORDER BY 1", {id}),
              sorted({sda_, other_sda_, third}));
    const auto added = snapshot();
    g.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    EXPECT_EQ(refused(admin_, 2, g), kept);
    EXPECT_EQ(snapshot(), added);
}

TEST_F(CommunityPlanStore, ASecondMoveFromTheSameStaleStateIsAConflictWithNothingWritten) {
    const auto id = create(form());
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::approve, "", day(-1)));
    const auto snap = snapshot();
    // The same request again (a double click, a second tab): the plan has moved on.
    auto twice = fire(id, d::CommunityPlanEvent::approve, "", day(-1));
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Errc::Conflict);
    EXPECT_EQ(twice.error().message_key, "lifecycle.not_from_state");
    // A writer that read the plan before the approval: the compare-and-set finds it moved.
    {
        auto tx = t_->db->begin(TxMode::write);
        auto stale =
            fire_transition(*tx, clock_, plan_tables, d::community_plan_lifecycle(), id, d::CommunityPlanStatus::in_development,
                            d::CommunityPlanEvent::approve, d::Relationship::coordinating_agency, d::CommunityPlanFacts{},
                            admin_.user_id, day(-5), {{"approved_on", Value(day(-5))}});
        ASSERT_FALSE(stale);
        EXPECT_EQ(stale.error().code, Errc::Conflict);
        EXPECT_EQ(stale.error().message_key, "lifecycle.not_from_state");
        tx->commit();
    }
    EXPECT_EQ(snapshot(), snap);
    EXPECT_EQ(column(id, "approved_on"), day(-1));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM community_plan_events WHERE plan_id = ? AND event = 'approve'", {id}), 1);
}

TEST_F(CommunityPlanStore, RemindersGoOnceToTheAdministratorsOfEveryAreaThePlanInvolves) {
    retire_demo_plans();
    add_other_area();
    std::int64_t second = 0;
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        second = *ids.create_user({"second.admin@example.org", "Sam Second-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(second, {agency_, d::Role::ca_admin}, 0));
        const auto gone = *ids.create_user({"gone.admin@example.org", "Gale Gone-Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(gone, {agency_, d::Role::ca_admin}, 0));
        ASSERT_TRUE(ids.set_user_active(gone, false, 0));
        const auto left = *ids.create_user({"left.admin@example.org", "Lee Left-Admin", Lang::en}, 0);
        const auto membership = *ids.add_membership(left, {agency_, d::Role::ca_admin}, 0);
        ASSERT_TRUE(ids.set_membership_active(membership, false, 0));
        // A service account's address: a system, not a person.
        const auto system = *ids.create_user({"plans.system@api-clients.invalid", "Plans system", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(system, {agency_, d::Role::ca_admin}, 0));
        tx->commit();
    }
    auto shared = fixed(100);
    shared.areas = {std::to_string(sda_), std::to_string(other_sda_)};
    const auto id = create(shared);
    const auto own = create(fixed(100));
    const auto retired = create(fixed(50));
    ASSERT_TRUE(fire(retired, d::CommunityPlanEvent::retire, "Replaced by the regional plan."));
    const auto undated = create(form());  // ten-year cycle, never approved: nothing to remind
    const std::string link = "/network/plans/" + std::to_string(id);
    const std::string reference = column(id, "reference");

    auto remind = [&](const Clock& clock, bool email = true) {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_community_plan_reminders(*tx, clock, catalogue(), "http://127.0.0.1", email);
        tx->commit();
        return n;
    };
    auto network_notes = [&] { return scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'network'"); };
    auto recipients = [&](const std::string& key) {
        return numbers("SELECT user_id FROM notifications WHERE dedupe_key = ? ORDER BY 1", {key});
    };
    auto count_at = [&](const std::string& where) {
        return scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {where});
    };
    const Ids here = sorted({admin_.user_id, second});
    const Ids everywhere = sorted({admin_.user_id, second, other_admin_.user_id});

    // Nothing 91 days before the review.
    EXPECT_EQ(remind(at(9)), 0);
    EXPECT_EQ(network_notes(), 0);

    // 90 days before: one for each active administrator of each area the plan involves.
    const std::string due_key = "plan-review-due:" + std::to_string(id) + ":" + day(100);
    const int written = remind(at(10));
    EXPECT_EQ(written, network_notes());
    EXPECT_EQ(recipients(due_key), everywhere);
    EXPECT_EQ(numbers("SELECT user_id FROM notifications WHERE link = ? ORDER BY 1", {link}), everywhere);
    EXPECT_EQ(texts("SELECT DISTINCT kind FROM notifications WHERE link = ?", {link}), std::vector<std::string>{"network"});
    EXPECT_EQ(texts("SELECT DISTINCT reference FROM notifications WHERE link = ?", {link}), std::vector<std::string>{reference});
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {due_key}),
              catalogue().t(Lang::en, "network.plan.reminder.review_due",
                            {reference, "Demo community safety and well-being plan", day(100)}));
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {due_key}),
              catalogue().t(Lang::fr, "network.plan.reminder.review_due",
                            {reference, "Plan de sécurité et de bien-être communautaires Démo", day(100)}));
    EXPECT_EQ(numbers("SELECT user_id FROM notifications WHERE link = ? ORDER BY 1", {"/network/plans/" + std::to_string(own)}),
              here)
        << "the other area's administrator hears only of the plans of their area";
    EXPECT_EQ(count_at("/network/plans/" + std::to_string(retired)), 0) << "retired";
    EXPECT_EQ(count_at("/network/plans/" + std::to_string(undated)), 0) << "no review date";

    // Once per plan and date.
    EXPECT_EQ(remind(at(10)), 0);
    EXPECT_EQ(remind(at(60)), 0);
    EXPECT_EQ(remind(at(100)), 0) << "the day itself is still due, already told";
    EXPECT_EQ(count_at(link), 3);

    // Overdue: once more, in its own words.
    const std::string overdue_key = "plan-review-overdue:" + std::to_string(id) + ":" + day(100);
    EXPECT_GT(remind(at(101)), 0);
    EXPECT_EQ(recipients(overdue_key), everywhere);
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {overdue_key}),
              catalogue().t(Lang::en, "network.plan.reminder.review_overdue",
                            {reference, "Demo community safety and well-being plan", day(100)}));
    EXPECT_EQ(remind(at(102)), 0);
    EXPECT_EQ(remind(at(400)), 0);
    EXPECT_EQ(count_at(link), 6);
    EXPECT_EQ(count_at("/network/plans/" + std::to_string(retired)), 0) << "retired, however late";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'network' AND "
                     "(u.active = 0 OR u.email LIKE '%@api-clients.invalid' OR u.email = 'left.admin@example.org')"),
              0);
}

TEST_F(CommunityPlanStore, AYearlyProgressReportIsAnnouncedThirtyDaysAhead) {
    retire_demo_plans();
    auto f = form();
    f.kind = "housing_homelessness";
    f.yearly_progress = "1";
    const auto id = create(f);
    ASSERT_TRUE(fire(id, d::CommunityPlanEvent::approve, "", day(-340)));
    const Date anniversary = add_years(*parse_date(day(-340)), 1);
    const int n = days_between(today_, anniversary);  // about 25 days from today
    ASSERT_GT(n, 0);
    auto record = as_at(admin_, at(n - 30), [&](CommunityPlanRepo& r) { return r.plan(id); });
    ASSERT_TRUE(record);
    EXPECT_EQ(record->summary.next_progress_on, anniversary.iso());
    const auto plain = create(form());
    auto quiet = as(admin_, [&](CommunityPlanRepo& r) { return r.plan(plain); });
    ASSERT_TRUE(quiet);
    EXPECT_EQ(quiet->summary.next_progress_on, "") << "no yearly report";

    const std::string link = "/network/plans/" + std::to_string(id);
    const std::string reference = column(id, "reference");
    const std::string key = "plan-progress-due:" + std::to_string(id) + ":" + anniversary.iso();
    auto remind = [&](const Clock& clock, bool email) {
        auto tx = t_->db->begin(TxMode::write);
        const int written = raise_community_plan_reminders(*tx, clock, catalogue(), "http://127.0.0.1", email);
        tx->commit();
        return written;
    };
    EXPECT_EQ(remind(at(n - 31), true), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 0);
    const auto outbox = scalar("SELECT COUNT(*) FROM outbox");
    EXPECT_EQ(remind(at(n - 30), false), 1) << "the area's one administrator";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), outbox) << "no email asked for";
    EXPECT_EQ(numbers("SELECT user_id FROM notifications WHERE dedupe_key = ?", {key}), Ids{admin_.user_id});
    EXPECT_EQ(text("SELECT link FROM notifications WHERE dedupe_key = ?", {key}), link);
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {key}),
              catalogue().t(Lang::en, "network.plan.reminder.progress_due",
                            {reference, "Demo community safety and well-being plan", anniversary.iso()}));
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {key}),
              catalogue().t(Lang::fr, "network.plan.reminder.progress_due",
                            {reference, "Plan de sécurité et de bien-être communautaires Démo", anniversary.iso()}));
    EXPECT_EQ(remind(at(n - 29), true), 0);
    EXPECT_EQ(remind(at(n), true), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {link}), 1) << "once per plan and date";

    // The next year's report, in its turn.
    const Date next = add_years(*parse_date(day(-340)), 2);
    EXPECT_EQ(remind(at(days_between(today_, next) - 30), true), 1);
    EXPECT_EQ(numbers("SELECT user_id FROM notifications WHERE dedupe_key = ?",
                      {"plan-progress-due:" + std::to_string(id) + ":" + next.iso()}),
              Ids{admin_.user_id});
}
