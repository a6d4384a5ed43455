// The outreach and knowledge-sharing log (features/network/store/outreach_repo.hpp), against
// SQLite (label db) and PostgreSQL (label pg), on a registry made here at a fixed day (15 March
// 2026): an east region with its coordinating agency, two providers (one with two managers) and a
// closed one, a west region with its own agency and provider, and the ministry's office. The
// agency's administrator records and changes any activity of the area; a provider manager records
// their own organisation's (it must be among those involved) and changes those they recorded or
// their organisation's; organisations are active ones of the area; a change is made from the
// version shown (a stale form is a conflict before its field errors). The log is filtered by
// dates, kind, audience and organisation (unknown values are field errors) and totalled; each
// reader sees their area's log, the analyst every area's and never who recorded. Bad input and
// refusals write nothing. The demo's log: every kind, over the last eighteen months.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "app/demo_data.hpp"
#include "app/demo_outreach.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/network/store/outreach_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

std::vector<std::string> fields_of(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field + ":" + f.message_key);
    return out;
}

// "ok", or the refusal's key and its field errors: "error.invalid organisations:field.choose_from_list".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : fields_of(r.error())) out += " " + f;
    return out;
}

using Ids = std::vector<std::int64_t>;
using Fields = std::vector<std::string>;

TimePoint fixed_now() {
    return *parse_iso("2026-03-15T12:00:00Z");
}

}  // namespace

class OutreachStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        east_ = *ids.create_sda({"east", "Région Est", "East Region"}, 0);
        west_ = *ids.create_sda({"west", "Région Ouest", "West Region"}, 0);
        const auto prov = *ids.create_sda({"prov", "Bureau provincial", "Provincial Office"}, 0);
        agency_ =
            organisation(ids, east_, "Agence de coordination Est", "Coordinating Agency East", d::CspRole::coordinating_agency);
        p1_ = organisation(ids, east_, "Fournisseur Un", "Provider One", d::CspRole::csp_provider);
        p2_ = organisation(ids, east_, "Fournisseur Deux", "Provider Two", d::CspRole::csp_provider);
        p3_ = organisation(ids, east_, "Fournisseur fermé", "Provider Closed", d::CspRole::csp_provider);
        west_agency_ =
            organisation(ids, west_, "Agence de coordination Ouest", "Coordinating Agency West", d::CspRole::coordinating_agency);
        q1_ = organisation(ids, west_, "Fournisseur Ouest", "Provider West", d::CspRole::csp_provider);
        ministry_ = organisation(ids, prov, "Ministère", "Ministry Office", d::CspRole::broader_partner);

        admin_ = actor(ids, "admin@east.example.org", "Dominique Admin-Est", agency_, d::Role::ca_admin);
        sysadmin_ = actor(ids, "sysadmin@east.example.org", "Sacha Système", agency_, d::Role::system_admin);
        manager1_ = actor(ids, "manager1@east.example.org", "Morgan Gestionnaire-Un", p1_, d::Role::provider_manager);
        manager1b_ = actor(ids, "manager1b@east.example.org", "Maude Gestionnaire-Un-Bis", p1_, d::Role::provider_manager);
        manager2_ = actor(ids, "manager2@east.example.org", "Mathis Gestionnaire-Deux", p2_, d::Role::provider_manager);
        west_admin_ = actor(ids, "admin@west.example.org", "Olive Admin-Ouest", west_agency_, d::Role::ca_admin);
        west_manager_ = actor(ids, "manager@west.example.org", "Oscar Gestion-Ouest", q1_, d::Role::provider_manager);
        analyst_ = actor(ids, "analyst@gov.example.org", "Ana Analyste", ministry_, d::Role::ministry_analyst);
        coordinator_ = actor(ids, "c1@east.example.org", "Camille Coordonnatrice", p1_, d::Role::coordinator);
        staff_ = actor(ids, "s1@east.example.org", "Sam Intervenant", p1_, d::Role::participant_staff);
        officer_ = actor(ids, "privacy@east.example.org", "Pat Vie-Privée", agency_, d::Role::privacy_officer);
        const auto family = *ids.create_user({"family@example.org", "Famille Exemple", Lang::fr}, 0);
        family_ = d::Actor{family, 0, d::Role::family};
        EXPECT_TRUE(ids.set_organisation_active(p3_, false, 0));
        tx->commit();
    }

    std::int64_t organisation(IdentityRepo& ids, std::int64_t sda, const std::string& fr, const std::string& en,
                              d::CspRole role) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = fr;
        o.name_en = en;
        o.sector = d::Sector::childrens_services;
        o.csp_roles = {role};
        return *ids.create_organisation(o, 0);
    }
    d::Actor actor(IdentityRepo& ids, const std::string& email, const std::string& name, std::int64_t org, d::Role role) {
        const auto user = *ids.create_user({email, name, Lang::fr}, 0);
        EXPECT_TRUE(ids.add_membership(user, {org, role}, 0));
        return {user, org, role};
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
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }

    // One request: the repository for `who` (nullopt: nobody signed in) at `clock`'s time, in a
    // write transaction committed only when the operation succeeded.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        OutreachRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
        auto out = f(repo);
        if (out.ok()) tx->commit();
        return out;
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }
    bool may_record(const std::optional<d::Actor>& who) {
        auto tx = t_->db->begin(TxMode::read);
        return OutreachRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_record();
    }

    // A presentation to the schools, by the east's agency with Provider One.
    d::OutreachForm form() const {
        d::OutreachForm f;
        f.kind = "referrer_presentation";
        f.audiences = {"schools", "referring_agencies"};
        f.title = "Présentation aux directions d'école";
        f.language = "fr";
        f.held_on = "2026-03-10";
        f.people_reached = "34";
        f.organisations = {std::to_string(p1_), std::to_string(agency_)};
        f.summary = "Qui orienter, comment, et ce que l'école peut attendre.";
        f.follow_up = "Envoyer le dépliant.";
        return f;
    }
    d::OutreachForm activity(const std::string& kind, const std::string& held_on, const std::vector<std::string>& audiences,
                             const std::string& people, const std::vector<std::int64_t>& organisations) const {
        auto f = form();
        f.kind = kind;
        f.title = kind + " " + held_on;
        f.held_on = held_on;
        f.audiences = audiences;
        f.people_reached = people;
        f.organisations.clear();
        for (auto o : organisations) f.organisations.push_back(std::to_string(o));
        return f;
    }
    std::int64_t create(const d::OutreachForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](OutreachRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    int version_of(std::int64_t id) {
        return static_cast<int>(scalar("SELECT version FROM outreach_activities WHERE id = ?", {id}));
    }
    Ids listed(const d::Actor& who, const d::OutreachQuery& q = {}) {
        Ids out;
        auto log = as(who, [&](OutreachRepo& r) { return r.list(q); });
        EXPECT_TRUE(log) << outcome(log);
        if (log)
            for (const auto& row : log->rows) out.push_back(row.id);
        return out;
    }
    Fields refused_filter(const d::Actor& who, const d::OutreachQuery& q) {
        auto log = as(who, [&](OutreachRepo& r) { return r.list(q); });
        EXPECT_FALSE(log);
        if (log) return {};
        EXPECT_EQ(log.error().code, Errc::Invalid);
        return fields_of(log.error());
    }

    ManualClock clock_{fixed_now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t east_ = 0, west_ = 0, agency_ = 0, p1_ = 0, p2_ = 0, p3_ = 0, west_agency_ = 0, q1_ = 0, ministry_ = 0;
    d::Actor admin_, sysadmin_, manager1_, manager1b_, manager2_, west_admin_, west_manager_, analyst_, coordinator_, staff_,
        officer_, family_;
};

TEST_F(OutreachStore, AnActivityIsRecordedReadAndChangedFromTheVersionShown) {
    EXPECT_TRUE(may_record(admin_));
    const auto f = form();
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar("SELECT sda_id FROM outreach_activities WHERE id = ?", {id}), east_);
    EXPECT_EQ(scalar("SELECT organisation_id FROM outreach_activities WHERE id = ?", {id}), agency_) << "the agency's activity";
    EXPECT_EQ(text("SELECT kind FROM outreach_activities WHERE id = ?", {id}), "referrer_presentation");
    EXPECT_EQ(text("SELECT lang FROM outreach_activities WHERE id = ?", {id}), "fr");
    EXPECT_EQ(text("SELECT held_on FROM outreach_activities WHERE id = ?", {id}), "2026-03-10");
    EXPECT_EQ(scalar("SELECT people_reached FROM outreach_activities WHERE id = ?", {id}), 34);
    EXPECT_EQ(version_of(id), 1);
    EXPECT_EQ(text("SELECT created_at FROM outreach_activities WHERE id = ?", {id}), "2026-03-15T12:00:00Z");
    EXPECT_EQ(scalar("SELECT created_by FROM outreach_activities WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM outreach_activities WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(texts("SELECT audience FROM outreach_audiences WHERE activity_id = ? ORDER BY audience", {id}),
              (std::vector<std::string>{"referring_agencies", "schools"}));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outreach_organisations WHERE activity_id = ?", {id}), 2);

    auto a = as(admin_, [&](OutreachRepo& r) { return r.activity(id); });
    ASSERT_TRUE(a) << outcome(a);
    EXPECT_EQ(a->row.id, id);
    EXPECT_EQ(a->row.title, f.title);
    EXPECT_EQ(a->row.kind, d::OutreachKind::referrer_presentation);
    EXPECT_EQ(a->row.audiences,
              (std::vector<d::OutreachAudience>{d::OutreachAudience::referring_agencies, d::OutreachAudience::schools}))
        << "in their order";
    EXPECT_EQ(a->row.language, d::OutreachLanguage::fr);
    EXPECT_EQ(a->row.people_reached, std::optional<int>(34));
    ASSERT_EQ(a->row.organisations.size(), 2u);
    EXPECT_EQ(a->row.organisations[0].name_en, "Coordinating Agency East") << "by name";
    EXPECT_EQ(a->row.organisations[1].name_fr, "Fournisseur Un");
    EXPECT_EQ(a->row.summary, f.summary);
    EXPECT_EQ(a->row.follow_up, f.follow_up);
    EXPECT_EQ(a->row.area_en, "East Region");
    EXPECT_EQ(a->recorded_for.id, agency_);
    EXPECT_EQ(a->created_by_name, "Dominique Admin-Est");
    EXPECT_EQ(a->terms.organisations, (Ids{std::min(agency_, p1_), std::max(agency_, p1_)}));
    EXPECT_EQ(a->terms.held_on.iso(), "2026-03-10");
    EXPECT_EQ(a->version, 1);
    EXPECT_TRUE(a->may_edit);

    // A change from the version shown: a new version, by whom and when; nothing counted is
    // nothing stored.
    ManualClock later(fixed_now() + std::chrono::hours(24));
    auto changed = form();
    changed.kind = "webinar";
    changed.title = "Webinaire pour les écoles";
    changed.language = "both";
    changed.audiences = {"schools"};
    changed.people_reached = "";
    changed.organisations = {std::to_string(agency_)};
    changed.follow_up = "";
    auto done = as_at(admin_, later, [&](OutreachRepo& r) { return r.update(id, 1, changed); });
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(version_of(id), 2);
    EXPECT_EQ(text("SELECT kind FROM outreach_activities WHERE id = ?", {id}), "webinar");
    EXPECT_EQ(text("SELECT lang FROM outreach_activities WHERE id = ?", {id}), "both");
    EXPECT_EQ(
        text("SELECT CASE WHEN people_reached IS NULL THEN 'none' ELSE 'some' END FROM outreach_activities WHERE id = ?", {id}),
        "none");
    EXPECT_EQ(texts("SELECT audience FROM outreach_audiences WHERE activity_id = ?", {id}), std::vector<std::string>{"schools"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outreach_organisations WHERE activity_id = ?", {id}), 1);
    EXPECT_EQ(text("SELECT updated_at FROM outreach_activities WHERE id = ?", {id}), "2026-03-16T12:00:00Z");
    EXPECT_EQ(text("SELECT created_at FROM outreach_activities WHERE id = ?", {id}), "2026-03-15T12:00:00Z");

    // A stale form is a conflict before its field errors; a current one with errors writes nothing.
    const auto snap = snapshot();
    auto bad = form();
    bad.title = "";
    bad.held_on = "2026-03-16";
    auto stale = as(admin_, [&](OutreachRepo& r) { return r.update(id, 1, bad); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "network.outreach.changed_meanwhile");
    auto invalid = as(admin_, [&](OutreachRepo& r) { return r.update(id, 2, bad); });
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, Errc::Invalid);
    EXPECT_EQ(fields_of(invalid.error()), (Fields{"title:field.required", "held_on:network.outreach.held_in_future"}));
    EXPECT_EQ(as(admin_, [&](OutreachRepo& r) { return r.update(id + 1000, 2, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(OutreachStore, ProviderManagersRecordAndChangeTheirOwnOrganisationsActivities) {
    EXPECT_TRUE(may_record(manager1_));
    const auto snap = snapshot();
    // Their own organisation must be among those involved.
    auto without = form();
    without.organisations = {std::to_string(agency_)};
    auto r = as(manager1_, [&](OutreachRepo& repo) { return repo.create(without); });
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), Fields{"organisations:network.outreach.own_organisation"});
    // Every field's errors at once, the store's with the form's.
    without.title = "";
    r = as(manager1_, [&](OutreachRepo& repo) { return repo.create(without); });
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), (Fields{"title:field.required", "organisations:network.outreach.own_organisation"}));
    EXPECT_EQ(snapshot(), snap);

    const auto mine = create(form(), &manager1_);
    ASSERT_GT(mine, 0);
    EXPECT_EQ(scalar("SELECT organisation_id FROM outreach_activities WHERE id = ?", {mine}), p1_) << "Provider One's activity";
    EXPECT_EQ(scalar("SELECT created_by FROM outreach_activities WHERE id = ?", {mine}), manager1_.user_id);
    const auto agencys = create(form());  // the agency's, with Provider One involved
    const auto others = create(activity("webinar", "2026-03-01", {"families"}, "", {p2_}), &manager2_);

    auto may_edit = [&](const d::Actor& who, std::int64_t id) {
        auto a = as(who, [&](OutreachRepo& repo) { return repo.activity(id); });
        EXPECT_TRUE(a) << outcome(a);
        return a && a->may_edit;
    };
    EXPECT_TRUE(may_edit(manager1_, mine)) << "they recorded it";
    EXPECT_TRUE(may_edit(manager1b_, mine)) << "their organisation's";
    EXPECT_FALSE(may_edit(manager1_, agencys)) << "the agency's, although Provider One took part";
    EXPECT_FALSE(may_edit(manager1_, others)) << "another provider's";
    EXPECT_TRUE(may_edit(admin_, mine)) << "the agency keeps the area's log";
    EXPECT_TRUE(may_edit(admin_, others));

    // They read the whole area's log, and change only their organisation's activities.
    EXPECT_EQ(listed(manager1_).size(), 3u);
    const auto before = snapshot();
    auto change = form();
    change.title = "Présentation aux directions d'école, version revue";
    EXPECT_EQ(as(manager1_, [&](OutreachRepo& repo) { return repo.update(agencys, 1, change); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(manager1_, [&](OutreachRepo& repo) { return repo.update(others, 1, change); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(manager2_, [&](OutreachRepo& repo) { return repo.update(mine, 1, change); }).error().code, Errc::Forbidden)
        << "refused before the version is looked at";
    // Their change keeps their organisation among those involved.
    auto dropped = change;
    dropped.organisations = {std::to_string(agency_)};
    auto refused = as(manager1b_, [&](OutreachRepo& repo) { return repo.update(mine, 1, dropped); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(fields_of(refused.error()), Fields{"organisations:network.outreach.own_organisation"});
    EXPECT_EQ(snapshot(), before);

    auto done = as(manager1b_, [&](OutreachRepo& repo) { return repo.update(mine, 1, change); });
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(text("SELECT title FROM outreach_activities WHERE id = ?", {mine}), change.title);
    EXPECT_EQ(scalar("SELECT updated_by FROM outreach_activities WHERE id = ?", {mine}), manager1b_.user_id);
    EXPECT_EQ(scalar("SELECT created_by FROM outreach_activities WHERE id = ?", {mine}), manager1_.user_id);
    // The agency may take an organisation off an activity that is not its own.
    dropped.title = "Retitrée par l'agence";
    done = as(admin_, [&](OutreachRepo& repo) { return repo.update(mine, 2, dropped); });
    ASSERT_TRUE(done) << outcome(done);
}

TEST_F(OutreachStore, OrganisationsInvolvedAreActiveOnesOfTheArea) {
    auto choices = as(admin_, [](OutreachRepo& r) { return r.choices(); });
    ASSERT_TRUE(choices) << outcome(choices);
    std::vector<std::string> names;
    for (const auto& c : *choices) names.push_back(c.name_en);
    EXPECT_EQ(names, (std::vector<std::string>{"Coordinating Agency East", "Provider One", "Provider Two"}))
        << "the area's active organisations, by name";
    choices = as(manager2_, [](OutreachRepo& r) { return r.choices(); });
    ASSERT_TRUE(choices);
    EXPECT_EQ(choices->size(), 3u) << "a provider may name its partners of the area";

    const auto snap = snapshot();
    auto refused = [&](std::int64_t organisation) {
        auto f = form();
        f.organisations = {std::to_string(agency_), std::to_string(organisation)};
        auto r = as(admin_, [&](OutreachRepo& repo) { return repo.create(f); });
        EXPECT_FALSE(r);
        return r ? Fields{} : fields_of(r.error());
    };
    EXPECT_EQ(refused(q1_), Fields{"organisations:field.choose_from_list"}) << "another area's provider";
    EXPECT_EQ(refused(p3_), Fields{"organisations:field.choose_from_list"}) << "a closed organisation";
    EXPECT_EQ(refused(999999), Fields{"organisations:field.choose_from_list"}) << "no such organisation";
    EXPECT_EQ(snapshot(), snap);
    // The west's administrator may not name the east's providers either.
    auto west = form();
    west.organisations = {std::to_string(west_agency_), std::to_string(p1_)};
    auto r = as(west_admin_, [&](OutreachRepo& repo) { return repo.create(west); });
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), Fields{"organisations:field.choose_from_list"});

    // On a change, an organisation closed since stays allowed; a newly named closed one does not.
    exec("UPDATE organisations SET active = 1 WHERE id = ?", {p3_});
    const auto id = create(activity("community_event", "2026-02-01", {"community"}, "150", {agency_, p3_}));
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {p3_});
    auto kept = activity("community_event", "2026-02-01", {"community", "families"}, "160", {agency_, p3_});
    EXPECT_TRUE(as(admin_, [&](OutreachRepo& repo) { return repo.update(id, 1, kept); }));
    const auto second = create(activity("webinar", "2026-02-02", {"providers"}, "20", {agency_}));
    auto named = activity("webinar", "2026-02-02", {"providers"}, "20", {agency_, p3_});
    auto newly = as(admin_, [&](OutreachRepo& repo) { return repo.update(second, 1, named); });
    ASSERT_FALSE(newly);
    EXPECT_EQ(fields_of(newly.error()), Fields{"organisations:field.choose_from_list"});
}

TEST_F(OutreachStore, TheLogIsFilteredAndTotalled) {
    const auto a = create(activity("family_session", "2025-11-05", {"families"}, "18", {agency_, p1_}));
    const auto b = create(activity("webinar", "2026-01-20", {"providers", "referring_agencies"}, "62", {agency_, p2_}));
    const auto c = create(activity("webinar", "2026-02-10", {"families"}, "", {agency_}));
    const auto e = create(activity("publication", "2026-03-01", {"families", "community"}, "1200", {agency_}));
    const auto f = create(activity("family_session", "2026-03-01", {"families"}, "9", {p2_}), &manager2_);
    create(activity("webinar", "2026-02-10", {"families"}, "40", {west_agency_}), &west_admin_);

    // Newest first; the same day, the latest recorded first.
    EXPECT_EQ(listed(admin_), (Ids{f, e, c, b, a}));
    auto log = as(admin_, [](OutreachRepo& r) { return r.list({}); });
    ASSERT_TRUE(log) << outcome(log);
    EXPECT_EQ(log->totals.activities, 5);
    EXPECT_EQ(log->totals.people_reached, 18 + 62 + 1200 + 9);
    EXPECT_EQ(log->totals.counted, 4);
    ASSERT_EQ(log->totals.per_kind.size(), d::all_outreach_kinds().size()) << "every kind, in its order";
    std::vector<std::string> per_kind;
    for (const auto& k : log->totals.per_kind)
        per_kind.push_back(std::string(d::code(k.kind)) + " " + std::to_string(k.activities) + " " +
                           std::to_string(k.people_reached));
    EXPECT_EQ(per_kind,
              (std::vector<std::string>{"family_session 2 27", "referrer_presentation 0 0", "community_event 0 0", "webinar 2 62",
                                        "community_of_practice 0 0", "publication 1 1200", "other 0 0"}));
    const auto& first = log->rows.front();
    EXPECT_EQ(first.id, f);
    EXPECT_EQ(first.organisations.size(), 1u);
    EXPECT_EQ(first.organisations.front().name_en, "Provider Two");
    EXPECT_EQ(log->rows[1].audiences,
              (std::vector<d::OutreachAudience>{d::OutreachAudience::families, d::OutreachAudience::community}));

    // Each filter, and all of them together.
    EXPECT_EQ(listed(admin_, {"2026-01-20", "2026-02-10", "", "", ""}), (Ids{c, b})) << "both days included";
    EXPECT_EQ(listed(admin_, {"2026-03-01", "", "", "", ""}), (Ids{f, e}));
    EXPECT_EQ(listed(admin_, {"", "2025-12-31", "", "", ""}), Ids{a});
    EXPECT_EQ(listed(admin_, {"", "", "webinar", "", ""}), (Ids{c, b}));
    EXPECT_EQ(listed(admin_, {"", "", "", "families", ""}), (Ids{f, e, c, a}));
    EXPECT_EQ(listed(admin_, {"", "", "", "providers", ""}), Ids{b});
    EXPECT_EQ(listed(admin_, {"", "", "", "", std::to_string(p2_)}), (Ids{f, b}));
    EXPECT_EQ(listed(admin_, {"2026-01-01", "2026-12-31", "family_session", "families", std::to_string(p2_)}), Ids{f});
    EXPECT_EQ(listed(admin_, {"", "", "referrer_presentation", "", ""}), Ids{});
    EXPECT_EQ(listed(admin_, {"", "", "", "", std::to_string(p3_)}), Ids{}) << "an organisation of the area, closed";
    log = as(admin_, [](OutreachRepo& r) { return r.list({"", "", "webinar", "", ""}); });
    ASSERT_TRUE(log);
    EXPECT_EQ(log->totals.activities, 2);
    EXPECT_EQ(log->totals.people_reached, 62) << "the totals are the filtered list's";
    EXPECT_EQ(log->totals.counted, 1);

    // Unknown values are field errors.
    EXPECT_EQ(refused_filter(admin_, {"2026-02-30", "", "", "", ""}), Fields{"from:people.invalid_date"});
    EXPECT_EQ(refused_filter(admin_, {"2026-03-01", "2026-02-01", "", "", ""}), Fields{"to:network.outreach.range_reversed"});
    EXPECT_EQ(refused_filter(admin_, {"", "", "newsletter", "", ""}), Fields{"kind:field.choose_from_list"});
    EXPECT_EQ(refused_filter(admin_, {"", "", "", "parents", ""}), Fields{"audience:field.choose_from_list"});
    EXPECT_EQ(refused_filter(admin_, {"", "", "", "", "abc"}), Fields{"organisation:field.choose_from_list"});
    EXPECT_EQ(refused_filter(admin_, {"", "", "", "", "999999"}), Fields{"organisation:field.choose_from_list"});
    EXPECT_EQ(refused_filter(admin_, {"", "", "", "", std::to_string(q1_)}), Fields{"organisation:field.choose_from_list"})
        << "another area's organisation";
    EXPECT_EQ(listed(analyst_, {"", "", "", "", std::to_string(q1_)}), Ids{}) << "the analyst reads every area";

    // The organisations to filter by: those of the activities the reader sees.
    auto names = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto list = as(who, [](OutreachRepo& r) { return r.filter_choices(); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& o : *list) out.push_back(o.name_en);
        return out;
    };
    EXPECT_EQ(names(admin_), (std::vector<std::string>{"Coordinating Agency East", "Provider One", "Provider Two"}));
    EXPECT_EQ(names(west_manager_), std::vector<std::string>{"Coordinating Agency West"});
    EXPECT_EQ(names(analyst_).size(), 4u);
}

TEST_F(OutreachStore, EachReaderSeesTheirAreasLogAndTheAnalystEveryAreasWithoutNames) {
    const auto east = create(form());
    const auto east2 = create(activity("webinar", "2026-03-12", {"providers"}, "20", {p1_}), &manager1_);
    const auto west = create(activity("publication", "2026-03-11", {"community"}, "500", {west_agency_}), &west_admin_);
    EXPECT_EQ(listed(admin_), (Ids{east2, east}));
    EXPECT_EQ(listed(manager2_), (Ids{east2, east}));
    EXPECT_EQ(listed(west_manager_), Ids{west});
    EXPECT_EQ(listed(analyst_), (Ids{east2, west, east}));
    auto log = as(analyst_, [](OutreachRepo& r) { return r.list({}); });
    ASSERT_TRUE(log);
    EXPECT_EQ(log->rows[1].area_en, "West Region");
    EXPECT_EQ(log->rows[1].area_fr, "Région Ouest");

    // The analyst reads what was done and when, never who recorded or changed it, and changes nothing.
    ASSERT_TRUE(as(admin_, [&](OutreachRepo& r) { return r.update(east, 1, form()); }));
    auto seen = as(analyst_, [&](OutreachRepo& r) { return r.activity(east); });
    ASSERT_TRUE(seen) << outcome(seen);
    EXPECT_EQ(seen->row.title, form().title);
    EXPECT_EQ(seen->created_by_name, "");
    EXPECT_EQ(seen->updated_by_name, "");
    EXPECT_EQ(seen->created_at, "2026-03-15T12:00:00Z");
    EXPECT_EQ(seen->version, 2);
    EXPECT_FALSE(seen->may_edit);
    auto kept = as(admin_, [&](OutreachRepo& r) { return r.activity(east); });
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->created_by_name, "Dominique Admin-Est");
    EXPECT_EQ(kept->updated_by_name, "Dominique Admin-Est");
    EXPECT_FALSE(may_record(analyst_));
    const auto snap = snapshot();
    EXPECT_EQ(as(analyst_, [&](OutreachRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(analyst_, [&](OutreachRepo& r) { return r.update(east, 2, form()); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(analyst_, [](OutreachRepo& r) { return r.choices(); }).error().code, Errc::Forbidden);

    // Another area's activity is not found.
    EXPECT_EQ(as(admin_, [&](OutreachRepo& r) { return r.activity(west); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_manager_, [&](OutreachRepo& r) { return r.activity(east); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_admin_, [&](OutreachRepo& r) { return r.update(east, 2, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](OutreachRepo& r) { return r.activity(west + 1000); }).error().code, Errc::NotFound);

    // Anyone else is refused.
    for (const auto& who :
         std::vector<std::optional<d::Actor>>{coordinator_, staff_, officer_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_FALSE(may_record(who));
        EXPECT_EQ(as(who, [](OutreachRepo& r) { return r.list({}); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](OutreachRepo& r) { return r.filter_choices(); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](OutreachRepo& r) { return r.choices(); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](OutreachRepo& r) { return r.activity(east); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](OutreachRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](OutreachRepo& r) { return r.update(east, 2, form()); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(snapshot(), snap);
}

// The demo's log (demo_outreach.hpp): thirteen activities of the demo area over the last eighteen
// months, none in the future, every kind, by the agency and three providers, each recorder's own
// organisation among those involved, every audience and language; loading again adds nothing.
class OutreachDemo : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    std::int64_t count(const std::string& sql, const Params& params = {}) { return testsupport::scalar(*t_->db, sql, params); }

    ManualClock clock_{fixed_now()};
    std::unique_ptr<testsupport::TestDb> t_;
};

TEST_F(OutreachDemo, TheDemoLogHasEveryKindOverEighteenMonths) {
    ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
    const Date today = date_of(clock_.now());
    const auto activities = count("SELECT COUNT(*) FROM outreach_activities");
    EXPECT_GE(activities, 10);
    EXPECT_LE(activities, 14);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT kind) FROM outreach_activities"),
              static_cast<std::int64_t>(d::all_outreach_kinds().size()));
    EXPECT_EQ(count("SELECT COUNT(DISTINCT audience) FROM outreach_audiences"),
              static_cast<std::int64_t>(d::all_outreach_audiences().size()));
    EXPECT_EQ(count("SELECT COUNT(DISTINCT lang) FROM outreach_activities"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities WHERE held_on > ?", {today.iso()}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities WHERE held_on < ?", {add_days(today, -548).iso()}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities WHERE held_on >= ?", {add_days(today, -60).iso()}), 2)
        << "recent ones too";
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities a WHERE NOT EXISTS (SELECT 1 FROM outreach_audiences u WHERE "
                    "u.activity_id = a.id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities a WHERE NOT EXISTS (SELECT 1 FROM outreach_organisations g "
                    "WHERE g.activity_id = a.id AND g.organisation_id = a.organisation_id)"),
              0)
        << "each recorder's organisation is involved in its activities";
    EXPECT_EQ(count("SELECT COUNT(DISTINCT organisation_id) FROM outreach_activities"), 4) << "the agency and three providers";
    EXPECT_EQ(count("SELECT COUNT(DISTINCT a.organisation_id) FROM outreach_activities a JOIN memberships m ON m.user_id = "
                    "a.created_by AND m.organisation_id = a.organisation_id AND m.role = 'provider_manager'"),
              3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities WHERE version = 2 AND updated_at > created_at"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities WHERE title = '' OR summary = ''"), 0);

    // What the administrator's log counts, and what the analyst reads of one.
    const auto admin = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
    auto log = testsupport::run_as<OutreachRepo>(*t_->db, clock_, admin, [](OutreachRepo& r) { return r.list({}); });
    ASSERT_TRUE(log) << outcome(log);
    EXPECT_EQ(static_cast<std::int64_t>(log->rows.size()), activities);
    EXPECT_EQ(log->totals.counted, static_cast<int>(activities) - 1) << "one activity did not count its people";
    const auto analyst = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
    const auto first = log->rows.front().id;
    auto read = testsupport::run_as<OutreachRepo>(*t_->db, clock_, analyst, [&](OutreachRepo& r) { return r.activity(first); });
    ASSERT_TRUE(read) << outcome(read);
    EXPECT_EQ(read->created_by_name, "");

    EXPECT_FALSE(app::load_demo_outreach(*t_->db, clock_)) << "the log is there already";
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_activities"), activities);
}
