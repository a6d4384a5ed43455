// The capacity building repository (features/network/store/training_repo.hpp), against SQLite
// (label db) and PostgreSQL (label pg), on a registry made here at a fixed day (15 March 2026):
// an east region with its coordinating agency, two providers and a closed one, a west region
// with its own agency and provider, and the ministry's office. A training is recorded by an
// administrator of its area, with partners among the area's active organisations; its terms,
// requirements and retirement change only from the version shown (a stale form is a conflict
// before its field errors), and an unchanged requirement keeps the day it was set. Completions
// are recorded for the staff in the recorder's reach, once a day, not in the future, not for a
// retired training. Compliance counts each person's obligations by standing, per organisation,
// from hand-built memberships and completions; the analyst reads every area's percentages and
// never about a person. Bad input and refusals change nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <utility>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/network/store/training_repo.hpp"
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

// "ok", or the refusal's key and its field errors: "error.invalid partners:field.choose_from_list".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : fields_of(r.error())) out += " " + f;
    return out;
}

using Ids = std::vector<std::int64_t>;

TimePoint fixed_now() {
    return *parse_iso("2026-03-15T12:00:00Z");
}

// One obligation, as compared here: "Sam Intervenant@Provider One/Privacy basics since 2026-03-01
// due 2026-03-31 done - expires - due".
std::string line(const ObligationRow& r) {
    return r.user_name + "@" + r.organisation_en + "/" + r.title_en + " since " + r.required_since + " due " + r.due_by +
           " done " + (r.completed_on.empty() ? "-" : r.completed_on) + " expires " +
           (r.expires_on.empty() ? "-" : r.expires_on) + " " + std::string(d::code(r.standing));
}

// An organisation's counts: "Provider One staff 3 of 5: 1 complete, 1 expiring, 1 due, 1 overdue, 1 lapsed = 40%".
std::string counts(const OrganisationCompliance& c) {
    return c.name_en + " staff " + std::to_string(c.staff) + " of " + std::to_string(c.obligations) + ": " +
           std::to_string(c.complete) + " complete, " + std::to_string(c.expiring_soon) + " expiring, " + std::to_string(c.due) +
           " due, " + std::to_string(c.overdue) + " overdue, " + std::to_string(c.lapsed) +
           " lapsed = " + std::to_string(c.percent) + "%";
}

}  // namespace

class TrainingStore : public ::testing::Test {
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
        manager2_ = actor(ids, "manager2@east.example.org", "Mathis Gestionnaire-Deux", p2_, d::Role::provider_manager);
        west_admin_ = actor(ids, "admin@west.example.org", "Olive Admin-Ouest", west_agency_, d::Role::ca_admin);
        west_manager_ = actor(ids, "manager@west.example.org", "Oscar Gestion-Ouest", q1_, d::Role::provider_manager);
        analyst_ = actor(ids, "analyst@gov.example.org", "Ana Analyste", ministry_, d::Role::ministry_analyst);

        c1_ = actor(ids, "c1@east.example.org", "Camille Coordonnatrice", p1_, d::Role::coordinator);
        s1_ = actor(ids, "s1@east.example.org", "Sam Intervenant", p1_, d::Role::participant_staff);
        s2_ = actor(ids, "s2@east.example.org", "Sasha Intervenante", p1_, d::Role::participant_staff);
        d1_ = actor(ids, "d1@east.example.org", "Dominique Double", p2_, d::Role::coordinator);
        EXPECT_TRUE(ids.add_membership(d1_.user_id, {p2_, d::Role::participant_staff}, 0));
        x1_ = actor(ids, "x1@east.example.org", "Xavier Deux-Lieux", p2_, d::Role::participant_staff);
        EXPECT_TRUE(ids.add_membership(x1_.user_id, {agency_, d::Role::participant_staff}, 0));
        b1_ = actor(ids, "b1@west.example.org", "Bea Ouest", q1_, d::Role::coordinator);

        // Not staff: at a closed organisation, a membership ended, an account deactivated, a
        // service account.
        y1_ = actor(ids, "y1@east.example.org", "Yves Fermé", p3_, d::Role::coordinator).user_id;
        EXPECT_TRUE(ids.set_organisation_active(p3_, false, 0));
        const auto z1 = actor(ids, "z1@east.example.org", "Zoé Partie", p1_, d::Role::coordinator).user_id;
        EXPECT_TRUE(
            ids.set_membership_active(tx->query_one("SELECT id FROM memberships WHERE user_id = ?", {z1})->i64(0), false, 0));
        z2_ = actor(ids, "z2@east.example.org", "Zack Désactivé", p1_, d::Role::coordinator).user_id;
        EXPECT_TRUE(ids.set_user_active(z2_, false, 0));
        z3_ = actor(ids, "arr-abc@api-clients.invalid", "API: Partner system", p1_, d::Role::coordinator).user_id;
        tx->exec(
            "INSERT INTO api_clients (client_id, secret_hash, name, organisation_id, user_id, role, scopes, status, created_at, "
            "created_by, updated_at) VALUES ('arr-abc', 'x', 'Partner system', ?, ?, 'coordinator', 'system/Patient.rs', "
            "'active', '2026-03-15T12:00:00Z', ?, '2026-03-15T12:00:00Z')",
            {p1_, z3_, admin_.user_id});
        const auto family = *ids.create_user({"family@example.org", "Famille Exemple", Lang::fr}, 0);
        family_ = d::Actor{family, 0, d::Role::family};
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
        TrainingRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
        auto out = f(repo);
        if (out.ok()) tx->commit();
        return out;
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }
    bool may_manage(const std::optional<d::Actor>& who) {
        auto tx = t_->db->begin(TxMode::read);
        return TrainingRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage();
    }

    static d::TrainingForm form() {
        d::TrainingForm f;
        f.title_fr = "Notions de base en protection de la vie privée";
        f.title_en = "Privacy basics";
        f.description_fr = "Consentement, divulgation et registre des accès.";
        f.description_en = "Consent, disclosure and the access log.";
        f.format = "online";
        f.hours = "1.5";
        return f;
    }
    static d::TrainingForm titled(const std::string& en, const std::string& validity = "") {
        auto f = form();
        f.title_en = en;
        f.title_fr = en + " (fr)";
        f.validity_months = validity;
        return f;
    }
    std::int64_t create(const d::TrainingForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](TrainingRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    int version_of(std::int64_t id) { return static_cast<int>(scalar("SELECT version FROM trainings WHERE id = ?", {id})); }
    // The requirements form: one entry per trainable role, `days` for those named.
    static std::vector<d::RequirementForm> requirements(const std::vector<std::pair<std::string, std::string>>& days) {
        std::vector<d::RequirementForm> out;
        for (auto role : d::trainable_roles()) {
            d::RequirementForm f{std::string(d::code(role)), ""};
            for (const auto& [r, n] : days)
                if (r == f.role) f.due_days = n;
            out.push_back(f);
        }
        return out;
    }
    void require(std::int64_t id, const std::vector<std::pair<std::string, std::string>>& days, const d::Actor* who = nullptr) {
        auto r = as(who ? *who : admin_,
                    [&](TrainingRepo& repo) { return repo.set_requirements(id, version_of(id), requirements(days)); });
        EXPECT_TRUE(r) << outcome(r);
    }
    std::vector<std::string> requirement_rows(std::int64_t id) {
        return texts(
            "SELECT role || ' ' || CAST(due_days AS TEXT) || ' ' || set_on FROM training_requirements WHERE "
            "training_id = ? ORDER BY role",
            {id});
    }
    static d::CompletionForm done(std::int64_t user, const std::string& on, const std::string& note = "") {
        return {std::to_string(user), on, note};
    }
    Result<std::int64_t> record(std::int64_t training, const d::CompletionForm& f, const d::Actor* who = nullptr) {
        return as(who ? *who : admin_, [&](TrainingRepo& r) { return r.record_completion(training, f); });
    }
    void since(std::int64_t user, const std::string& day) {
        exec("UPDATE memberships SET created_at = ? WHERE user_id = ?", {day + "T09:30:00Z", user});
    }

    ManualClock clock_{fixed_now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t east_ = 0, west_ = 0, agency_ = 0, p1_ = 0, p2_ = 0, p3_ = 0, west_agency_ = 0, q1_ = 0, ministry_ = 0;
    d::Actor admin_, sysadmin_, manager1_, manager2_, west_admin_, west_manager_, analyst_, family_;
    d::Actor c1_, s1_, s2_, d1_, x1_, b1_;
    std::int64_t y1_ = 0, z2_ = 0, z3_ = 0;
};

TEST_F(TrainingStore, ATrainingIsRecordedChangedFromTheVersionShownAndRetired) {
    auto f = form();
    f.validity_months = "24";
    f.joint = "1";
    f.partners = {std::to_string(p2_), std::to_string(p1_), std::to_string(p2_)};
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar("SELECT sda_id FROM trainings WHERE id = ?", {id}), east_);
    EXPECT_EQ(text("SELECT title_fr FROM trainings WHERE id = ?", {id}), f.title_fr);
    EXPECT_EQ(text("SELECT format FROM trainings WHERE id = ?", {id}), "online");
    EXPECT_EQ(scalar("SELECT hours_tenths FROM trainings WHERE id = ?", {id}), 15);
    EXPECT_EQ(scalar("SELECT validity_months FROM trainings WHERE id = ?", {id}), 24);
    EXPECT_EQ(scalar("SELECT joint FROM trainings WHERE id = ?", {id}), 1);
    EXPECT_EQ(scalar("SELECT retired FROM trainings WHERE id = ?", {id}), 0);
    EXPECT_EQ(version_of(id), 1);
    EXPECT_EQ(text("SELECT created_at FROM trainings WHERE id = ?", {id}), "2026-03-15T12:00:00Z");
    EXPECT_EQ(scalar("SELECT created_by FROM trainings WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM trainings WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_partners WHERE training_id = ?", {id}), 2) << "duplicates merged";

    auto record = as(admin_, [&](TrainingRepo& r) { return r.training(id); });
    ASSERT_TRUE(record) << outcome(record);
    EXPECT_EQ(record->summary.id, id);
    EXPECT_EQ(record->summary.title_en, "Privacy basics");
    EXPECT_EQ(record->summary.format, d::TrainingFormat::online);
    EXPECT_EQ(record->summary.hours_tenths, 15);
    EXPECT_EQ(record->summary.validity_months, std::optional<int>(24));
    EXPECT_TRUE(record->summary.joint);
    EXPECT_FALSE(record->summary.retired);
    EXPECT_EQ(record->summary.area_en, "East Region");
    EXPECT_EQ(record->summary.area_fr, "Région Est");
    EXPECT_TRUE(record->summary.required_roles.empty());
    EXPECT_EQ(record->terms.description_en, "Consent, disclosure and the access log.");
    EXPECT_EQ(record->terms.description_fr, f.description_fr);
    EXPECT_EQ(record->terms.partners, (Ids{std::min(p1_, p2_), std::max(p1_, p2_)}));
    ASSERT_EQ(record->partners.size(), 2u);
    EXPECT_EQ(record->partners[0].name_en, "Provider One") << "by name";
    EXPECT_EQ(record->partners[1].name_fr, "Fournisseur Deux");
    EXPECT_EQ(record->version, 1);
    EXPECT_TRUE(record->may_edit);
    EXPECT_TRUE(record->may_record);

    // A change from the version shown: a new version, by whom and when.
    ManualClock later(fixed_now() + std::chrono::hours(24));
    f = form();
    f.title_en = "Privacy basics, second edition";
    f.format = "hybrid";
    f.hours = "3";
    f.validity_months = "";
    auto changed = as_at(manager1_, later, [&](TrainingRepo& r) { return r.update(id, 1, f); });
    EXPECT_EQ(changed.error().code, Errc::Forbidden) << "a provider manager does not change the catalogue";
    changed = as_at(admin_, later, [&](TrainingRepo& r) { return r.update(id, 1, f); });
    ASSERT_TRUE(changed) << outcome(changed);
    EXPECT_EQ(version_of(id), 2);
    EXPECT_EQ(text("SELECT title_en FROM trainings WHERE id = ?", {id}), "Privacy basics, second edition");
    EXPECT_EQ(text("SELECT format FROM trainings WHERE id = ?", {id}), "hybrid");
    EXPECT_EQ(scalar("SELECT hours_tenths FROM trainings WHERE id = ?", {id}), 30);
    EXPECT_EQ(text("SELECT CASE WHEN validity_months IS NULL THEN 'never' ELSE 'some' END FROM trainings WHERE id = ?", {id}),
              "never");
    EXPECT_EQ(scalar("SELECT joint FROM trainings WHERE id = ?", {id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_partners WHERE training_id = ?", {id}), 0) << "not joint: no partners";
    EXPECT_EQ(text("SELECT updated_at FROM trainings WHERE id = ?", {id}), "2026-03-16T12:00:00Z");
    EXPECT_EQ(text("SELECT created_at FROM trainings WHERE id = ?", {id}), "2026-03-15T12:00:00Z");

    // A stale form is a conflict before its field errors; a current one with errors writes nothing.
    const auto snap = snapshot();
    auto bad = form();
    bad.title_en = "";
    auto stale = as(admin_, [&](TrainingRepo& r) { return r.update(id, 1, bad); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "network.training.changed_meanwhile");
    auto invalid = as(admin_, [&](TrainingRepo& r) { return r.update(id, 2, bad); });
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, Errc::Invalid);
    EXPECT_EQ(fields_of(invalid.error()), std::vector<std::string>{"title_en:field.required"});
    EXPECT_EQ(as(admin_, [&](TrainingRepo& r) { return r.set_retired(id, 1, true); }).error().message_key,
              "network.training.changed_meanwhile");
    EXPECT_EQ(as(admin_,
                 [&](TrainingRepo& r) {
                     return r.set_requirements(id, 1, requirements({{"coordinator", "30"}}));
                 })
                  .error()
                  .message_key,
              "network.training.changed_meanwhile");
    EXPECT_EQ(snapshot(), snap);

    // Retired: out of the catalogue unless asked, nothing more recorded; then back.
    const auto other = create(titled("Another training"));
    auto retired = as(admin_, [&](TrainingRepo& r) { return r.set_retired(id, 2, true); });
    ASSERT_TRUE(retired) << outcome(retired);
    EXPECT_EQ(version_of(id), 3);
    EXPECT_EQ(scalar("SELECT retired FROM trainings WHERE id = ?", {id}), 1);
    auto listed = [&](bool all) {
        Ids out;
        auto list = as(admin_, [&](TrainingRepo& r) { return r.list(all); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& s : *list) out.push_back(s.id);
        return out;
    };
    EXPECT_EQ(listed(false), Ids{other});
    EXPECT_EQ(listed(true), (Ids{other, id})) << "by English title";
    record = as(admin_, [&](TrainingRepo& r) { return r.training(id); });
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->summary.retired);
    EXPECT_FALSE(record->may_record);
    EXPECT_TRUE(record->may_edit) << "a retired training may be put back";
    // Put back ten days later: its requirements count from that day, as if set again.
    exec("INSERT INTO training_requirements (training_id, role, due_days, set_on) VALUES (?, 'coordinator', 30, '2026-01-05')",
         {id});
    clock_.advance(std::chrono::hours(24 * 10));
    ASSERT_TRUE(as(admin_, [&](TrainingRepo& r) { return r.set_retired(id, 3, false); }));
    EXPECT_EQ(version_of(id), 4);
    EXPECT_EQ(listed(false), (Ids{other, id}));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_requirements WHERE training_id = ? AND set_on <> '2026-03-25'", {id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_requirements WHERE training_id = ?", {id}), 1);
}

TEST_F(TrainingStore, PartnersOutsideTheAreaAndBadFieldsAreRefusedAndWriteNothing) {
    auto choices = as(admin_, [](TrainingRepo& r) { return r.partner_choices(); });
    ASSERT_TRUE(choices) << outcome(choices);
    std::vector<std::string> names;
    for (const auto& c : *choices) names.push_back(c.name_en);
    EXPECT_EQ(names, (std::vector<std::string>{"Coordinating Agency East", "Provider One", "Provider Two"}))
        << "the area's active organisations, by name";

    const auto snap = snapshot();
    auto refused = [&](const d::TrainingForm& f) {
        auto r = as(admin_, [&](TrainingRepo& repo) { return repo.create(f); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    using Fields = std::vector<std::string>;
    auto joint = [&](std::int64_t partner) {
        auto f = form();
        f.joint = "1";
        f.partners = {std::to_string(p1_), std::to_string(partner)};
        return f;
    };
    EXPECT_EQ(refused(joint(q1_)), Fields{"partners:field.choose_from_list"}) << "another area's provider";
    EXPECT_EQ(refused(joint(p3_)), Fields{"partners:field.choose_from_list"}) << "a closed organisation";
    EXPECT_EQ(refused(joint(999999)), Fields{"partners:field.choose_from_list"}) << "no such organisation";
    auto f = form();
    f.joint = "1";
    EXPECT_EQ(refused(f), Fields{"partners:network.training.partners_required"});
    f = form();
    f.hours = "0";
    EXPECT_EQ(refused(f), Fields{"hours:network.training.hours_invalid"});
    f = form();
    f.format = "webinar";
    EXPECT_EQ(refused(f), Fields{"format:field.choose_from_list"});
    EXPECT_EQ(snapshot(), snap);

    // The west's administrator may not name the east's providers either.
    auto west = form();
    west.joint = "1";
    west.partners = {std::to_string(west_agency_), std::to_string(p1_)};
    auto r = as(west_admin_, [&](TrainingRepo& repo) { return repo.create(west); });
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), Fields{"partners:field.choose_from_list"});

    // On a change, a partner closed since stays allowed; a newly named closed one does not.
    exec("UPDATE organisations SET active = 1 WHERE id = ?", {p3_});
    const auto id = create(joint(p3_));
    exec("UPDATE organisations SET active = 0 WHERE id = ?", {p3_});
    auto kept = joint(p3_);
    kept.title_en = "Privacy basics (kept partner)";
    EXPECT_TRUE(as(admin_, [&](TrainingRepo& repo) { return repo.update(id, 1, kept); }));
    const auto second = create(joint(p2_));
    auto named = joint(p3_);
    auto newly = as(admin_, [&](TrainingRepo& repo) { return repo.update(second, 1, named); });
    ASSERT_FALSE(newly);
    EXPECT_EQ(fields_of(newly.error()), Fields{"partners:field.choose_from_list"});

    // Only an administrator with an area records trainings.
    for (const auto& who : std::vector<std::optional<d::Actor>>{manager1_, analyst_, c1_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [](TrainingRepo& repo) { return repo.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](TrainingRepo& repo) { return repo.partner_choices(); }).error().code, Errc::Forbidden);
        EXPECT_FALSE(may_manage(who));
    }
    EXPECT_TRUE(may_manage(admin_));
    // Another area's training is not found by its administrator.
    EXPECT_EQ(as(west_admin_, [&](TrainingRepo& repo) { return repo.update(id, 2, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_admin_, [&](TrainingRepo& repo) { return repo.set_retired(id, 2, true); }).error().code, Errc::NotFound);
}

TEST_F(TrainingStore, RequirementsKeepTheDayTheyWereSetWhenTheirDaysDoNotChange) {
    const auto id = create(form());
    require(id, {{"coordinator", "30"}, {"participant_staff", "60"}});
    EXPECT_EQ(version_of(id), 2);
    EXPECT_EQ(requirement_rows(id), (std::vector<std::string>{"coordinator 30 2026-03-15", "participant_staff 60 2026-03-15"}));
    EXPECT_EQ(scalar("SELECT updated_by FROM trainings WHERE id = ?", {id}), admin_.user_id);

    ManualClock later(fixed_now() + std::chrono::hours(24 * 10));
    auto r = as_at(admin_, later, [&](TrainingRepo& repo) {
        return repo.set_requirements(
            id, 2, requirements({{"coordinator", "30"}, {"participant_staff", "90"}, {"provider_manager", "45"}}));
    });
    ASSERT_TRUE(r) << outcome(r);
    EXPECT_EQ(requirement_rows(id), (std::vector<std::string>{"coordinator 30 2026-03-15", "participant_staff 90 2026-03-25",
                                                              "provider_manager 45 2026-03-25"}))
        << "unchanged kept, changed and new set that day";
    EXPECT_EQ(version_of(id), 3);

    auto record = as(admin_, [&](TrainingRepo& repo) { return repo.training(id); });
    ASSERT_TRUE(record);
    EXPECT_EQ(record->summary.required_roles,
              (std::vector<d::Role>{d::Role::coordinator, d::Role::participant_staff, d::Role::provider_manager}));
    ASSERT_EQ(record->requirements.size(), 3u);
    EXPECT_EQ(record->requirements[1].role, d::Role::participant_staff);
    EXPECT_EQ(record->requirements[1].due_days, 90);
    EXPECT_EQ(record->requirements[1].set_on, "2026-03-25");
    auto list = as(analyst_, [](TrainingRepo& repo) { return repo.list(false); });
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().required_roles, record->summary.required_roles);

    // One taken off is gone; bad days write nothing.
    require(id, {{"provider_manager", "45"}});
    EXPECT_EQ(requirement_rows(id), std::vector<std::string>{"provider_manager 45 2026-03-25"});
    const auto snap = snapshot();
    auto bad = as(admin_, [&](TrainingRepo& repo) {
        return repo.set_requirements(id, version_of(id), requirements({{"coordinator", "0"}, {"privacy_officer", "731"}}));
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(fields_of(bad.error()), (std::vector<std::string>{"due_days_coordinator:network.training.due_days_invalid",
                                                                "due_days_privacy_officer:network.training.due_days_invalid"}));
    auto role = requirements({});
    role.push_back({"ca_admin", "10"});
    bad = as(admin_, [&](TrainingRepo& repo) { return repo.set_requirements(id, version_of(id), role); });
    ASSERT_FALSE(bad);
    EXPECT_EQ(fields_of(bad.error()), std::vector<std::string>{"role:field.choose_from_list"});
    EXPECT_EQ(as(manager1_, [&](TrainingRepo& repo) { return repo.set_requirements(id, version_of(id), requirements({})); })
                  .error()
                  .code,
              Errc::Forbidden);
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(TrainingStore, StaffChoicesAreTheRecordersReach) {
    const auto id = create(form());
    using Pairs = std::set<std::pair<std::int64_t, std::int64_t>>;
    auto choices = [&](const d::Actor& who) {
        Pairs out;
        auto list = as(who, [&](TrainingRepo& r) { return r.staff_choices(id); });
        EXPECT_TRUE(list) << outcome(list);
        if (!list) return out;
        std::vector<std::string> names;
        for (const auto& c : *list) {
            out.insert({c.user_id, c.organisation_id});
            names.push_back(c.name);
            EXPECT_FALSE(c.organisation_en.empty());
            EXPECT_FALSE(c.organisation_fr.empty());
        }
        EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << "by name";
        return out;
    };
    // The area's active organisations' people of a trainable role: a person with two roles at
    // one organisation once, one at two organisations at each.
    EXPECT_EQ(choices(admin_), (Pairs{{c1_.user_id, p1_},
                                      {s1_.user_id, p1_},
                                      {s2_.user_id, p1_},
                                      {manager1_.user_id, p1_},
                                      {d1_.user_id, p2_},
                                      {x1_.user_id, p2_},
                                      {x1_.user_id, agency_},
                                      {manager2_.user_id, p2_}}));
    EXPECT_EQ(choices(manager1_), (Pairs{{c1_.user_id, p1_}, {s1_.user_id, p1_}, {s2_.user_id, p1_}, {manager1_.user_id, p1_}}));
    EXPECT_EQ(choices(manager2_), (Pairs{{d1_.user_id, p2_}, {x1_.user_id, p2_}, {manager2_.user_id, p2_}}));

    for (const auto& who : std::vector<std::optional<d::Actor>>{analyst_, c1_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](TrainingRepo& r) { return r.staff_choices(id); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(as(west_admin_, [&](TrainingRepo& r) { return r.staff_choices(id); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_manager_, [&](TrainingRepo& r) { return r.staff_choices(id); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](TrainingRepo& r) { return r.staff_choices(id + 1000); }).error().code, Errc::NotFound);
}

TEST_F(TrainingStore, CompletionsAreRecordedOnceADayForTheRecordersStaff) {
    const auto id = create(form());
    const auto first = record(id, done(c1_.user_id, "2026-03-10", "Given by the agency"));
    ASSERT_TRUE(first) << outcome(first);
    EXPECT_EQ(scalar("SELECT organisation_id FROM training_completions WHERE id = ?", {*first}), p1_);
    EXPECT_EQ(text("SELECT completed_on FROM training_completions WHERE id = ?", {*first}), "2026-03-10");
    EXPECT_EQ(text("SELECT note FROM training_completions WHERE id = ?", {*first}), "Given by the agency");
    EXPECT_EQ(scalar("SELECT recorded_by FROM training_completions WHERE id = ?", {*first}), admin_.user_id);
    EXPECT_EQ(text("SELECT recorded_at FROM training_completions WHERE id = ?", {*first}), "2026-03-15T12:00:00Z");
    // Today is not the future; a person at two organisations is recorded under the first by id,
    // among those in the recorder's reach.
    const auto both = record(id, done(x1_.user_id, "2026-03-15"));
    ASSERT_TRUE(both) << outcome(both);
    EXPECT_EQ(scalar("SELECT organisation_id FROM training_completions WHERE id = ?", {*both}), std::min(agency_, p2_));
    const auto own = record(id, done(x1_.user_id, "2026-03-14"), &manager2_);
    ASSERT_TRUE(own) << outcome(own);
    EXPECT_EQ(scalar("SELECT organisation_id FROM training_completions WHERE id = ?", {*own}), p2_);
    EXPECT_EQ(scalar("SELECT recorded_by FROM training_completions WHERE id = ?", {*own}), manager2_.user_id);

    const auto snap = snapshot();
    auto fields = [&](const d::CompletionForm& f, const d::Actor* who = nullptr) {
        auto r = record(id, f, who);
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    using Fields = std::vector<std::string>;
    const Fields not_staff{"user:network.training.not_staff"};
    EXPECT_EQ(fields(done(b1_.user_id, "2026-03-01")), not_staff) << "another area's staff";
    EXPECT_EQ(fields(done(admin_.user_id, "2026-03-01")), not_staff) << "not a trainable role";
    EXPECT_EQ(fields(done(y1_, "2026-03-01")), not_staff) << "a closed organisation";
    EXPECT_EQ(fields(done(z2_, "2026-03-01")), not_staff) << "a deactivated account";
    EXPECT_EQ(fields(done(z3_, "2026-03-01")), not_staff) << "a service account";
    EXPECT_EQ(fields(done(999999, "2026-03-01")), not_staff) << "nobody";
    EXPECT_EQ(fields(done(d1_.user_id, "2026-03-01"), &manager1_), not_staff) << "another provider's staff";
    EXPECT_EQ(fields(done(c1_.user_id, "2026-03-16")), Fields{"completed_on:network.training.completed_in_future"});
    EXPECT_EQ(fields(done(c1_.user_id, "2026-03-10")), Fields{"completed_on:network.training.already_recorded"});
    EXPECT_EQ(fields(done(c1_.user_id, "2026-02-30")), Fields{"completed_on:people.invalid_date"});
    EXPECT_EQ(fields({"", "2026-03-01", ""}), Fields{"user:field.required"});
    EXPECT_EQ(snapshot(), snap);

    // Retired: a conflict, whatever the form.
    ASSERT_TRUE(as(admin_, [&](TrainingRepo& r) { return r.set_retired(id, version_of(id), true); }));
    const auto retired_snap = snapshot();
    auto retired = record(id, done(c1_.user_id, "2026-03-11"));
    ASSERT_FALSE(retired);
    EXPECT_EQ(retired.error().code, Errc::Conflict);
    EXPECT_EQ(retired.error().message_key, "network.training.retired");
    EXPECT_EQ(record(id, done(c1_.user_id, "2099-01-01")).error().code, Errc::Conflict);
    EXPECT_EQ(snapshot(), retired_snap);
    ASSERT_TRUE(as(admin_, [&](TrainingRepo& r) { return r.set_retired(id, version_of(id), false); }));

    // Who may record at all.
    for (const auto& who : std::vector<std::optional<d::Actor>>{analyst_, c1_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](TrainingRepo& r) { return r.record_completion(id, done(c1_.user_id, "2026-03-11")); }).error().code,
                  Errc::Forbidden);
    }
    EXPECT_EQ(record(id, done(c1_.user_id, "2026-03-11"), &west_admin_).error().code, Errc::NotFound);

    // The record shows the completions the reader may see, newest first.
    auto seen = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto r = as(who, [&](TrainingRepo& repo) { return repo.training(id); });
        EXPECT_TRUE(r) << outcome(r);
        if (r)
            for (const auto& c : r->completions)
                out.push_back(c.user_name + "@" + c.organisation_en + " " + c.completed_on + " by " + c.recorded_by_name);
        return out;
    };
    EXPECT_EQ(seen(admin_), (std::vector<std::string>{
                                "Xavier Deux-Lieux@" + std::string(agency_ < p2_ ? "Coordinating Agency East" : "Provider Two") +
                                    " 2026-03-15 by Dominique Admin-Est",
                                "Xavier Deux-Lieux@Provider Two 2026-03-14 by Mathis Gestionnaire-Deux",
                                "Camille Coordonnatrice@Provider One 2026-03-10 by Dominique Admin-Est"}));
    EXPECT_EQ(seen(manager1_), std::vector<std::string>{"Camille Coordonnatrice@Provider One 2026-03-10 by Dominique Admin-Est"});
    EXPECT_TRUE(seen(analyst_).empty()) << "never about a person";
    auto read = as(analyst_, [&](TrainingRepo& repo) { return repo.training(id); });
    ASSERT_TRUE(read);
    EXPECT_FALSE(read->may_edit);
    EXPECT_FALSE(read->may_record);
    read = as(manager1_, [&](TrainingRepo& repo) { return repo.training(id); });
    ASSERT_TRUE(read);
    EXPECT_FALSE(read->may_edit);
    EXPECT_TRUE(read->may_record);
}

TEST_F(TrainingStore, ComplianceCountsEachPersonsObligationsByStandingPerOrganisation) {
    // Privacy basics never expires, required of coordinators and staff within 30 days; trauma-
    // informed practice lasts 12 months, required of staff within 60 days; both set on 1 June
    // 2025. A retired training and another area's count for nobody here.
    const auto privacy = create(titled("Privacy basics"));
    const auto trauma = create(titled("Trauma-informed practice", "12"));
    const auto retired = create(titled("Retired course"));
    const auto west = create(titled("West orientation"), &west_admin_);
    require(privacy, {{"coordinator", "30"}, {"participant_staff", "30"}});
    require(trauma, {{"participant_staff", "60"}});
    require(retired, {{"coordinator", "10"}, {"participant_staff", "10"}});
    require(west, {{"coordinator", "10"}}, &west_admin_);
    ASSERT_TRUE(as(admin_, [&](TrainingRepo& r) { return r.set_retired(retired, version_of(retired), true); }));
    exec("UPDATE training_requirements SET set_on = '2025-06-01'");

    // Provider One: Camille since 2025, done; Sam since March, Privacy due and Trauma (done at a
    // previous job a year ago) expiring in 17 days; Sasha since 2025, Privacy overdue, Trauma lapsed.
    since(c1_.user_id, "2025-01-01");
    since(s1_.user_id, "2026-03-01");
    since(s2_.user_id, "2025-01-01");
    // Provider Two: Dominique as coordinator and staff since 2025, each training once, overdue;
    // Xavier at Provider Two and at the agency since 10 March, Privacy done, Trauma due.
    since(d1_.user_id, "2025-01-01");
    since(x1_.user_id, "2026-03-10");
    since(b1_.user_id, "2025-01-01");
    auto completion = [&](std::int64_t training, std::int64_t user, std::int64_t org, const std::string& on) {
        exec(
            "INSERT INTO training_completions (training_id, user_id, organisation_id, completed_on, note, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, '', '2026-03-15T12:00:00Z', ?)",
            {training, user, org, on, admin_.user_id});
    };
    completion(privacy, c1_.user_id, p1_, "2025-06-20");
    completion(trauma, s1_.user_id, p1_, "2025-03-20");
    completion(trauma, s1_.user_id, p1_, "2025-04-01");
    completion(trauma, s2_.user_id, p1_, "2025-02-01");
    completion(privacy, x1_.user_id, p2_, "2026-03-12");
    completion(retired, d1_.user_id, p2_, "2026-03-01");
    // The people who are not staff had they been: never counted.
    since(y1_, "2025-01-01");
    since(z2_, "2025-01-01");
    since(z3_, "2025-01-01");

    auto table = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto r = as(who, [](TrainingRepo& repo) { return repo.compliance(); });
        EXPECT_TRUE(r) << outcome(r);
        if (r)
            for (const auto& c : *r) out.push_back(c.area_en + ": " + counts(c));
        return out;
    };
    const std::string agency =
        "East Region: Coordinating Agency East staff 1 of 2: 1 complete, 0 expiring, 1 due, 0 overdue, 0 lapsed = 50%";
    const std::string one = "East Region: Provider One staff 3 of 5: 1 complete, 1 expiring, 1 due, 1 overdue, 1 lapsed = 40%";
    const std::string two = "East Region: Provider Two staff 2 of 4: 1 complete, 0 expiring, 1 due, 2 overdue, 0 lapsed = 25%";
    EXPECT_EQ(table(admin_), (std::vector<std::string>{agency, one, two}));
    EXPECT_EQ(table(manager1_), std::vector<std::string>{one}) << "their own organisation only";
    EXPECT_EQ(table(analyst_),
              (std::vector<std::string>{
                  agency, one, two,
                  "Provincial Office: Ministry Office staff 0 of 0: 0 complete, 0 expiring, 0 due, 0 overdue, 0 lapsed = 100%",
                  "West Region: Coordinating Agency West staff 0 of 0: 0 complete, 0 expiring, 0 due, 0 overdue, 0 lapsed = 100%",
                  "West Region: Provider West staff 1 of 1: 0 complete, 0 expiring, 0 due, 1 overdue, 0 lapsed = 0%"}))
        << "every active organisation of every area, by area then name";
    auto french = as(west_admin_, [](TrainingRepo& repo) { return repo.compliance(); });
    ASSERT_TRUE(french);
    ASSERT_EQ(french->size(), 2u);
    EXPECT_EQ(french->back().name_fr, "Fournisseur Ouest");
    EXPECT_EQ(french->back().area_fr, "Région Ouest");

    // One organisation's people, by name then title.
    auto detail = as(admin_, [&](TrainingRepo& repo) { return repo.organisation(p1_); });
    ASSERT_TRUE(detail) << outcome(detail);
    EXPECT_EQ(counts(detail->summary), one.substr(std::string("East Region: ").size()));
    std::vector<std::string> lines;
    for (const auto& r : detail->rows) lines.push_back(line(r));
    EXPECT_EQ(lines,
              (std::vector<std::string>{
                  "Camille Coordonnatrice@Provider One/Privacy basics since 2025-06-01 due 2025-07-01 done 2025-06-20 expires - "
                  "complete",
                  "Sam Intervenant@Provider One/Privacy basics since 2026-03-01 due 2026-03-31 done - expires - due",
                  "Sam Intervenant@Provider One/Trauma-informed practice since 2026-03-01 due 2026-04-30 done 2025-04-01 expires "
                  "2026-04-01 expiring_soon",
                  "Sasha Intervenante@Provider One/Privacy basics since 2025-06-01 due 2025-07-01 done - expires - overdue",
                  "Sasha Intervenante@Provider One/Trauma-informed practice since 2025-06-01 due 2025-07-31 done 2025-02-01 "
                  "expires 2026-02-01 lapsed"}));
    EXPECT_EQ(detail->rows[0].role, d::Role::coordinator);
    EXPECT_EQ(detail->rows[0].training_id, privacy);
    EXPECT_EQ(detail->rows[0].organisation_fr, "Fournisseur Un");
    EXPECT_EQ(detail->rows[0].title_fr, "Privacy basics (fr)");
    EXPECT_EQ(detail->rows[1].role, d::Role::participant_staff);
    auto two_detail = as(manager2_, [&](TrainingRepo& repo) { return repo.organisation(p2_); });
    ASSERT_TRUE(two_detail) << outcome(two_detail);
    lines.clear();
    for (const auto& r : two_detail->rows) lines.push_back(line(r));
    EXPECT_EQ(
        lines,
        (std::vector<std::string>{
            "Dominique Double@Provider Two/Privacy basics since 2025-06-01 due 2025-07-01 done - expires - overdue",
            "Dominique Double@Provider Two/Trauma-informed practice since 2025-06-01 due 2025-07-31 done - expires - overdue",
            "Xavier Deux-Lieux@Provider Two/Privacy basics since 2026-03-10 due 2026-04-09 done 2026-03-12 expires - complete",
            "Xavier Deux-Lieux@Provider Two/Trauma-informed practice since 2026-03-10 due 2026-05-09 done - expires - due"}));

    // Readers who may not see one organisation's people.
    EXPECT_EQ(as(analyst_, [&](TrainingRepo& repo) { return repo.organisation(p1_); }).error().code, Errc::Forbidden);
    EXPECT_EQ(as(west_admin_, [&](TrainingRepo& repo) { return repo.organisation(p1_); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(manager2_, [&](TrainingRepo& repo) { return repo.organisation(p1_); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](TrainingRepo& repo) { return repo.organisation(q1_); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](TrainingRepo& repo) { return repo.organisation(p3_); }).error().code, Errc::NotFound)
        << "a closed organisation";
    EXPECT_EQ(as(admin_, [&](TrainingRepo& repo) { return repo.organisation(999999); }).error().code, Errc::NotFound);
    for (const auto& who : std::vector<std::optional<d::Actor>>{c1_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](TrainingRepo& repo) { return repo.organisation(p1_); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [](TrainingRepo& repo) { return repo.compliance(); }).error().code, Errc::Forbidden);
    }

    // Each person's own: every membership of a trainable role, by title.
    auto mine = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto r = as(who, [](TrainingRepo& repo) { return repo.mine(); });
        EXPECT_TRUE(r) << outcome(r);
        if (r)
            for (const auto& o : *r) out.push_back(line(o));
        return out;
    };
    EXPECT_EQ(mine(c1_), std::vector<std::string>{"Camille Coordonnatrice@Provider One/Privacy basics since 2025-06-01 due "
                                                  "2025-07-01 done 2025-06-20 expires - complete"});
    const auto xavier = mine(x1_);
    ASSERT_EQ(xavier.size(), 4u) << "at each organisation";
    EXPECT_EQ(xavier[0].substr(0, xavier[0].find(" since")), "Xavier Deux-Lieux@Coordinating Agency East/Privacy basics");
    EXPECT_EQ(xavier[1].substr(0, xavier[1].find(" since")), "Xavier Deux-Lieux@Provider Two/Privacy basics");
    EXPECT_EQ(xavier[3].substr(0, xavier[3].find(" since")), "Xavier Deux-Lieux@Provider Two/Trauma-informed practice");
    EXPECT_TRUE(mine(manager1_).empty()) << "nothing required of a provider manager";
    EXPECT_EQ(mine(b1_),
              std::vector<std::string>{
                  "Bea Ouest@Provider West/West orientation since 2025-06-01 due 2025-06-11 done - expires - overdue"});
    for (const auto& who : std::vector<std::optional<d::Actor>>{admin_, sysadmin_, analyst_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [](TrainingRepo& repo) { return repo.mine(); }).error().code, Errc::Forbidden);
    }

    // A training retired leaves every obligation; its completions stay.
    ASSERT_TRUE(as(admin_, [&](TrainingRepo& r) { return r.set_retired(trauma, version_of(trauma), true); }));
    EXPECT_EQ(table(manager1_),
              std::vector<std::string>{
                  "East Region: Provider One staff 3 of 3: 1 complete, 0 expiring, 1 due, 1 overdue, 0 lapsed = 33%"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_completions WHERE training_id = ?", {trauma}), 3);
}

TEST_F(TrainingStore, EachReaderSeesTheirAreasCatalogueAndTheAnalystEveryArea) {
    const auto east = create(titled("B east"));
    const auto east2 = create(titled("A east"));
    const auto west = create(titled("C west"), &west_admin_);
    auto ids = [&](const d::Actor& who) {
        Ids out;
        auto list = as(who, [](TrainingRepo& r) { return r.list(false); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& s : *list) out.push_back(s.id);
        return out;
    };
    EXPECT_EQ(ids(admin_), (Ids{east2, east}));
    EXPECT_EQ(ids(manager1_), (Ids{east2, east}));
    EXPECT_EQ(ids(west_manager_), Ids{west});
    EXPECT_EQ(ids(analyst_), (Ids{east2, east, west}));
    EXPECT_TRUE(as(analyst_, [&](TrainingRepo& r) { return r.training(west); }));
    EXPECT_EQ(as(admin_, [&](TrainingRepo& r) { return r.training(west); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_manager_, [&](TrainingRepo& r) { return r.training(east); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(admin_, [&](TrainingRepo& r) { return r.training(west + 1000); }).error().code, Errc::NotFound);
    for (const auto& who : std::vector<std::optional<d::Actor>>{c1_, s1_, sysadmin_, family_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [](TrainingRepo& r) { return r.list(true); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](TrainingRepo& r) { return r.training(east); }).error().code, Errc::Forbidden);
    }
}

// The reminder job tells each person of a required training due within 14 days, overdue,
// expiring within 30 days or lapsed, in their notifications, once per training and date.
TEST_F(TrainingStore, RemindersTellEachPersonOfTrainingsDueOverdueExpiringOrLapsedOnce) {
    const auto privacy = create(titled("Privacy basics"));
    const auto trauma = create(titled("Trauma-informed practice", "12"));
    require(privacy, {{"coordinator", "30"}});
    require(trauma, {{"participant_staff", "60"}});
    exec("UPDATE training_requirements SET set_on = '2025-06-01'");
    // Camille (coordinator) since 1 March: Privacy due 31 March, 16 days away. Dominique
    // (coordinator and staff) since 2025: both overdue. Sam (staff) since 1 March, Trauma done
    // a year ago: expires 1 April. Sasha (staff) since 2025, Trauma done in February 2025: lapsed.
    since(c1_.user_id, "2026-03-01");
    since(d1_.user_id, "2025-01-01");
    since(s1_.user_id, "2026-03-01");
    since(s2_.user_id, "2025-01-01");
    auto completion = [&](std::int64_t training, std::int64_t user, const std::string& on) {
        exec(
            "INSERT INTO training_completions (training_id, user_id, organisation_id, completed_on, note, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, '', '2026-03-15T12:00:00Z', ?)",
            {training, user, p1_, on, admin_.user_id});
    };
    completion(trauma, s1_.user_id, "2025-04-01");
    completion(trauma, s2_.user_id, "2025-02-01");

    const Catalogue catalogue = web::load_catalogue();
    auto run = [&] {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_training_reminders(*tx, clock_, catalogue, "https://arrimage.example.org", false);
        tx->commit();
        return n;
    };
    auto keys = [&](std::int64_t user) {
        return texts(
            "SELECT dedupe_key FROM notifications WHERE user_id = ? AND dedupe_key LIKE 'training-%' ORDER BY dedupe_key",
            {user});
    };
    auto id = [](std::int64_t n) { return std::to_string(n); };
    EXPECT_GT(run(), 0);
    EXPECT_EQ(keys(c1_.user_id), std::vector<std::string>{}) << "due in 16 days: not yet";
    EXPECT_EQ(keys(d1_.user_id),
              (std::vector<std::string>{"training-overdue:" + id(d1_.user_id) + ":" + id(privacy) + ":2025-07-01",
                                        "training-overdue:" + id(d1_.user_id) + ":" + id(trauma) + ":2025-07-31"}));
    EXPECT_EQ(keys(s1_.user_id),
              std::vector<std::string>{"training-expiring:" + id(s1_.user_id) + ":" + id(trauma) + ":2026-04-01"});
    EXPECT_EQ(keys(s2_.user_id),
              std::vector<std::string>{"training-lapsed:" + id(s2_.user_id) + ":" + id(trauma) + ":2026-02-01"});
    EXPECT_EQ(texts("SELECT link FROM notifications WHERE user_id = ? AND dedupe_key LIKE 'training-%'", {s2_.user_id}),
              std::vector<std::string>{"/network/my-trainings"});
    const auto text_en =
        texts("SELECT text_en FROM notifications WHERE user_id = ? AND dedupe_key LIKE 'training-lapsed%'", {s2_.user_id});
    ASSERT_EQ(text_en.size(), 1u);
    EXPECT_NE(text_en[0].find("Trauma-informed practice"), std::string::npos) << text_en[0];
    EXPECT_NE(text_en[0].find("2026-02-01"), std::string::npos) << text_en[0];

    EXPECT_EQ(run(), 0) << "once per person, training and date";
    // Three days later Camille's is due within 14 days.
    clock_.advance(std::chrono::hours(24 * 3));
    EXPECT_EQ(run(), 1);
    EXPECT_EQ(keys(c1_.user_id), std::vector<std::string>{"training-due:" + id(c1_.user_id) + ":" + id(privacy) + ":2026-03-31"});
}
