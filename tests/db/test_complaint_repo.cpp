// The complaints register (features/complaints/store/complaint_repo.hpp), against SQLite (label
// db) and PostgreSQL (label pg), on the demo data (the Demo East Region, its coordinating
// agency's administrator, coordinator and privacy officer, providers' staff and managers, the
// family account, the ministry's analyst) and another area made here. A complaint is raised from
// the public form, a family account or a provider's staff, numbered per year, with the area's
// deadlines; the agency's administrator reads the area's register, triages with an owner among
// the agency's staff, decides appeals and sets the deadlines; the owner works the ones they own;
// whoever raised it follows its moves, withdraws it and appeals within the window; anyone else
// finds nothing, and the analyst gets no register. Each access is an audit row, refusals
// included; bad input writes nothing. The reminder job tells the owner once per deadline and due
// day, and escalates an overdue one to the administrators once. No notification names the
// complainant. Every count here is of the complaints made here: the demo may load complaints of
// its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "app/demo_data.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "store/audit_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

// "ok", or the refusal's key and its field errors: "error.invalid owner:field.choose_from_list".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : r.error().fields) out += " " + f.field + ":" + f.message_key;
    return out;
}

const Catalogue& catalogue() {
    static const Catalogue c = web::load_catalogue();
    return c;
}

using Ids = std::vector<std::int64_t>;

Ids sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

// What the complainant wrote, which no notification may repeat.
constexpr const char* complainant = "Jamie Plaignant-Exemple";
constexpr const char* account_of_events = "The intake worker cancelled our first meeting three times without notice.";

int sequence_of(const std::string& reference) {
    return std::stoi(reference.substr(9));
}

}  // namespace

class ComplaintStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coord_ca_ = testsupport::actor_of(*t_->db, "coord.ca@demo.arrimage.invalid");
        privacy_ = testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid");
        coord1_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        manager_ = testsupport::actor_of(*t_->db, "manager1@demo.arrimage.invalid");
        staff_ = testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid");
        manager_ctc_ = testsupport::actor_of(*t_->db, "manager.ctc@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        sysadmin_ = testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid");
        const auto family = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
        ASSERT_GT(family, 0);
        family_ = d::Actor{family, 0, d::Role::family};
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        agency_ = admin_.organisation_id;
        prov1_ = manager_.organisation_id;
        ctc_ = staff_.organisation_id;
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisation_csp_roles WHERE organisation_id = ? AND csp_role = "
                         "'coordinating_agency'",
                         {agency_}),
                  1);
        ASSERT_EQ(coord_ca_.organisation_id, agency_);
        ASSERT_EQ(privacy_.organisation_id, agency_);
        ASSERT_EQ(manager_ctc_.organisation_id, ctc_);
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM organisations WHERE id IN (?, ?) AND sda_id = ?", {prov1_, ctc_, sda_}), 2);
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM family_access x JOIN people p ON p.id = x.person_id WHERE x.user_id = ? AND "
                         "x.revoked_at IS NULL AND p.sda_id = ?",
                         {family, sda_}),
                  1);
        today_ = date_of(clock_.now());
        // Known deadlines, whatever the demo set for its area.
        auto tx = t_->db->begin(TxMode::write);
        auto set = ComplaintRepo(testsupport::AccessForTests::as(*tx, clock_, admin_, "test"), {catalogue(), ""})
                       .save_settings({"3", "30", "30"});
        ASSERT_TRUE(set) << outcome(set);
        tx->commit();
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
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }
    // Everything a complaint's handling writes but the audit (a refusal's audit row is expected).
    std::int64_t rows_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM complaints) + (SELECT COUNT(*) FROM complaint_events) + "
            "(SELECT COUNT(*) FROM complaint_settings) + (SELECT COUNT(*) FROM notifications) + "
            "(SELECT COUNT(*) FROM outbox)");
    }
    std::string changes() {
        return text(
            "SELECT COALESCE(MAX(updated_at), '') || '|' || COALESCE(SUM(owner_user_id), 0) || '|' || COUNT(*) FROM "
            "complaints");
    }
    // The audit rows of accesses to complaints (permitted), and the refusals of `user`.
    std::int64_t handled_rows() { return scalar("SELECT COUNT(*) FROM audit_events WHERE reason = 'complaint_handling'"); }
    std::int64_t refusals_of(const std::optional<d::Actor>& who, const std::string& action) {
        if (!who)
            return scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny' AND user_id IS NULL AND action = ?",
                          {action});
        return scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny' AND user_id = ? AND action = ?",
                      {who->user_id, action});
    }

    // One request: the repository for `who` (nullopt: nobody signed in) at `clock`'s time, in a
    // write transaction committed whatever the outcome. The request pipeline rolls back a refused
    // or invalid write, but the repository must not rely on it: what a refusal leaves behind
    // shows in the snapshots and row counts.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        ComplaintRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"), {catalogue(), "http://127.0.0.1"});
        auto out = f(repo);
        tx->commit();
        return out;
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }

    // The day `n` days from today, and a clock at this time of that day.
    std::string day(int n) const { return add_days(today_, n).iso(); }
    ManualClock at(int n) const { return ManualClock(clock_.now() + std::chrono::hours(24 * n)); }

    d::ComplaintForm public_form(std::int64_t area, std::int64_t about = 0) const {
        return {.area = std::to_string(area),
                .kind = "complaint",
                .category = "wait_times",
                .about_organisation = std::to_string(about ? about : prov1_),
                .name = complainant,
                .relation = "parent",
                .email = "jamie.plaignant@example.org",
                .preferred_lang = "fr",
                .description = account_of_events,
                .desired_outcome = "A date for the first meeting."};
    }
    // What a signed-in raiser sends: no area (theirs), and no name, address or language.
    static d::ComplaintForm signed_in_form() {
        return {.kind = "conflict", .category = "communication", .description = account_of_events};
    }

    std::int64_t raise(const std::optional<d::Actor>& who, const d::ComplaintForm& f, const Clock* clock = nullptr) {
        auto r = as_at(who, clock ? *clock : clock_, [&](ComplaintRepo& repo) { return repo.raise(f, "en"); });
        EXPECT_TRUE(r) << outcome(r);
        return r ? r->id : 0;
    }
    std::int64_t raise_public(std::int64_t area = 0) { return raise(std::nullopt, public_form(area ? area : sda_)); }

    Result<d::ComplaintStatus> fire(const std::optional<d::Actor>& who, std::int64_t id, d::ComplaintEvent event,
                                    const std::string& note = "", const Clock* clock = nullptr) {
        return as_at(who, clock ? *clock : clock_, [&](ComplaintRepo& r) { return r.fire(id, event, {}, note); });
    }
    Result<d::ComplaintStatus> triage(std::int64_t id, const d::Actor& owner, const d::Actor* who = nullptr,
                                      const Clock* clock = nullptr) {
        return as_at(who ? *who : admin_, clock ? *clock : clock_, [&](ComplaintRepo& r) {
            return r.fire(id, d::ComplaintEvent::triage, {"quality", "high", std::to_string(owner.user_id)}, "");
        });
    }
    void move(const d::Actor& who, std::int64_t id, d::ComplaintEvent event, const std::string& note = "",
              const Clock* clock = nullptr) {
        auto r = fire(who, id, event, note, clock);
        EXPECT_TRUE(r) << d::code(event) << ": " << outcome(r);
    }
    // Triaged for `owner`, acknowledged and resolved by them today.
    void resolve(std::int64_t id, const d::Actor& owner) {
        auto t = triage(id, owner);
        EXPECT_TRUE(t) << outcome(t);
        move(owner, id, d::ComplaintEvent::acknowledge);
        move(owner, id, d::ComplaintEvent::resolve, "A coordinator now calls the family every week.");
    }

    Ids register_of(const std::optional<d::Actor>& who, const std::set<std::int64_t>& made, d::ComplaintQuery q = {},
                    const Clock* clock = nullptr) {
        auto list = as_at(who, clock ? *clock : clock_, [&](ComplaintRepo& r) { return r.list(q); });
        EXPECT_TRUE(list) << outcome(list);
        Ids out;
        if (list)
            for (const auto& row : *list)
                if (made.count(row.id)) out.push_back(row.id);
        return out;
    }
    std::string read(const std::optional<d::Actor>& who, std::int64_t id) {
        return outcome(as(who, [&](ComplaintRepo& r) { return r.complaint(id); }));
    }
    ComplaintRecord record(const std::optional<d::Actor>& who, std::int64_t id, const Clock* clock = nullptr) {
        auto r = as_at(who, clock ? *clock : clock_, [&](ComplaintRepo& repo) { return repo.complaint(id); });
        EXPECT_TRUE(r) << outcome(r);
        return r ? *r : ComplaintRecord{};
    }
    std::string reference(std::int64_t id) { return text("SELECT reference FROM complaints WHERE id = ?", {id}); }
    Ids recipients(const std::string& key) {
        return numbers("SELECT user_id FROM notifications WHERE dedupe_key = ? ORDER BY 1", {key});
    }
    // Who was told what about complaint `id` with `text_key`'s sentence in English.
    Ids told(std::int64_t id, const std::string& text_en) {
        return numbers("SELECT user_id FROM notifications WHERE link = ? AND kind = 'complaint' AND text_en = ? ORDER BY 1",
                       {"/complaints/" + std::to_string(id), text_en});
    }
    std::vector<std::string> events_of(std::int64_t id) {
        return texts("SELECT event || ':' || status FROM complaint_events WHERE complaint_id = ? ORDER BY id", {id});
    }

    // A member of the agency's staff made here, so that what they own is only what this test gives them.
    d::Actor agency_staff(const std::string& email, d::Role role) {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        const auto user = ids.create_user({email, "Sam Responsable-Test", Lang::en}, 0);
        EXPECT_TRUE(user);
        EXPECT_TRUE(ids.add_membership(*user, {agency_, role}, 0));
        tx->commit();
        return {*user, agency_, role};
    }

    // One run of the reminder job's part, at `clock`'s time, in its own transaction.
    int run_reminders(const Clock& clock) {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_complaint_reminders(*tx, clock, catalogue(), "http://127.0.0.1");
        tx->commit();
        return n;
    }
    // Whom the job told that `id`'s `deadline` is due by `due`.
    Ids reminded(std::int64_t id, const std::string& deadline, const std::string& due) {
        return recipients("complaint-due:" + std::to_string(id) + ":" + deadline + ":" + due);
    }
    // An owner's membership at the agency ends; their account stays active.
    void end_membership(const d::Actor& who) {
        const auto membership =
            scalar("SELECT id FROM memberships WHERE user_id = ? AND organisation_id = ?", {who.user_id, who.organisation_id});
        auto tx = t_->db->begin(TxMode::write);
        ASSERT_TRUE(IdentityRepo(*tx, clock_).set_membership_active(membership, false, 0));
        tx->commit();
    }

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
        // An area nobody coordinates yet: no complaint can be handled there.
        bare_sda_ = *ids.create_sda({"bare", "Zone sans agence", "Area without an agency"}, 0);
        tx->commit();
        other_admin_ = {user, other_agency_, d::Role::ca_admin};
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    Date today_;
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coord_ca_, privacy_, coord1_, manager_, staff_, manager_ctc_, analyst_, sysadmin_, family_, other_admin_;
    std::int64_t sda_ = 0, agency_ = 0, prov1_ = 0, ctc_ = 0;
    std::int64_t other_sda_ = 0, other_agency_ = 0, other_provider_ = 0, bare_sda_ = 0;
};

// ---------------------------------------------------------------- raising one

TEST_F(ComplaintStore, RaisedFromThePublicFormAFamilyAccountAndProviderStaff) {
    const auto audit_before = handled_rows();
    const auto anonymous_creates =
        scalar("SELECT COUNT(*) FROM audit_events WHERE reason = 'complaint_handling' AND action = 'create' AND user_id IS NULL");

    // The public form: nobody signed in.
    auto made = as(std::nullopt, [&](ComplaintRepo& r) { return r.raise(public_form(sda_), "en"); });
    ASSERT_TRUE(made) << outcome(made);
    const auto pub = made->id;
    EXPECT_EQ(made->acknowledge_due, day(3));
    EXPECT_EQ(reference(pub), made->reference);
    EXPECT_TRUE(std::regex_match(made->reference, std::regex("CMP-" + std::to_string(today_.year) + "-[0-9]{4}")))
        << made->reference;
    EXPECT_EQ(text("SELECT source || ' ' || status || ' ' || kind || ' ' || category || ' [' || severity || '] ' || "
                   "preferred_lang FROM complaints WHERE id = ?",
                   {pub}),
              "public received complaint wait_times [] fr");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints WHERE id = ? AND raised_by_user IS NULL AND raised_by_org IS NULL AND "
                     "owner_user_id IS NULL AND sda_id = ? AND about_organisation_id = ?",
                     {pub, sda_, prov1_}),
              1);
    EXPECT_EQ(
        text("SELECT complainant_name || ' / ' || complainant_relation || ' / ' || email FROM complaints WHERE id = ?", {pub}),
        std::string(complainant) + " / parent / jamie.plaignant@example.org");
    EXPECT_EQ(text("SELECT description FROM complaints WHERE id = ?", {pub}), account_of_events);
    EXPECT_EQ(
        text("SELECT acknowledge_due || ' ' || resolve_due || ' [' || appeal_due || ']' FROM complaints WHERE id = ?", {pub}),
        day(3) + " " + day(30) + " []");
    // Its first event, which the quarterly report counts as received; by nobody.
    EXPECT_EQ(events_of(pub), std::vector<std::string>{"receive:received"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = ? AND user_id IS NULL", {pub}), 1);
    // Written as nobody: recorded, without a user.
    EXPECT_EQ(handled_rows(), audit_before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE reason = 'complaint_handling' AND action = 'create' AND "
                     "user_id IS NULL"),
              anonymous_creates + 1);

    // The agency's administrators are told: the reference and the category, nothing else.
    const std::string ref = made->reference;
    const auto received_en =
        catalogue().t(Lang::en, "complaint.notify.received", {ref, catalogue().t(Lang::en, "complaint.category.wait_times")});
    const auto received_fr =
        catalogue().t(Lang::fr, "complaint.notify.received", {ref, catalogue().t(Lang::fr, "complaint.category.wait_times")});
    EXPECT_NE(received_en, "complaint.notify.received") << "the sentence is in the catalogue";
    EXPECT_EQ(told(pub, received_en), Ids{admin_.user_id});
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE link = ?", {"/complaints/" + std::to_string(pub)}), received_fr);
    EXPECT_EQ(text("SELECT reference FROM notifications WHERE link = ?", {"/complaints/" + std::to_string(pub)}), ref);

    // A family account: the area of its file, its name, address and language when left empty.
    auto fam = as(family_, [&](ComplaintRepo& r) { return r.raise(signed_in_form(), "fr"); });
    ASSERT_TRUE(fam) << outcome(fam);
    EXPECT_EQ(text("SELECT source || ' ' || kind || ' ' || category FROM complaints WHERE id = ?", {fam->id}),
              "family conflict communication");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints WHERE id = ? AND raised_by_user = ? AND raised_by_org IS NULL AND "
                     "sda_id = ? AND about_organisation_id IS NULL",
                     {fam->id, family_.user_id, sda_}),
              1);
    EXPECT_EQ(
        text("SELECT complainant_name || ' / ' || email || ' / ' || preferred_lang FROM complaints WHERE id = ?", {fam->id}),
        text("SELECT display_name || ' / ' || email || ' / ' || preferred_lang FROM users WHERE id = ?", {family_.user_id}));
    EXPECT_EQ(events_of(fam->id), std::vector<std::string>{"receive:received"});
    EXPECT_EQ(scalar("SELECT user_id FROM complaint_events WHERE complaint_id = ?", {fam->id}), family_.user_id);

    // Provider staff: their organisation's area, their organisation as the raiser.
    auto staff = as(staff_, [&](ComplaintRepo& r) { return r.raise(signed_in_form(), "en"); });
    ASSERT_TRUE(staff) << outcome(staff);
    EXPECT_EQ(text("SELECT source FROM complaints WHERE id = ?", {staff->id}), "provider");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints WHERE id = ? AND raised_by_user = ? AND raised_by_org = ? AND "
                     "sda_id = ?",
                     {staff->id, staff_.user_id, ctc_, sda_}),
              1);
    EXPECT_EQ(events_of(staff->id), std::vector<std::string>{"receive:received"});
    EXPECT_EQ(handled_rows(), audit_before + 3);

    // One numbering for the year, whoever raised it.
    EXPECT_EQ(sequence_of(fam->reference), sequence_of(ref) + 1);
    EXPECT_EQ(sequence_of(staff->reference), sequence_of(ref) + 2);

    // The choices the forms offer.
    auto tx = t_->db->begin(TxMode::read);
    ComplaintRepo visitor(testsupport::AccessForTests::anonymous(*tx, clock_, "test"), {catalogue(), ""});
    EXPECT_FALSE(visitor.raiser_area());
    const auto areas = visitor.areas();
    EXPECT_TRUE(std::any_of(areas.begin(), areas.end(), [&](const auto& a) { return a.id == sda_; }));
    const auto orgs = visitor.organisations(sda_);
    EXPECT_TRUE(std::any_of(orgs.begin(), orgs.end(), [&](const auto& o) { return o.id == prov1_; }));
    EXPECT_EQ(ComplaintRepo(testsupport::AccessForTests::as(*tx, clock_, family_, "test"), {catalogue(), ""}).raiser_area(),
              sda_);
    EXPECT_EQ(ComplaintRepo(testsupport::AccessForTests::as(*tx, clock_, staff_, "test"), {catalogue(), ""}).raiser_area(), sda_);
}

TEST_F(ComplaintStore, TheAnalystAndThePlatformAdministratorRaiseNoneAndTheRefusalIsRecorded) {
    const auto before = rows_written();
    for (const auto& who : {analyst_, sysadmin_}) {
        SCOPED_TRACE(std::string(d::code(who.role)));
        const auto refusals = refusals_of(who, "create");
        EXPECT_EQ(outcome(as(who, [&](ComplaintRepo& r) { return r.raise(public_form(sda_), "en"); })), "error.forbidden");
        EXPECT_EQ(refusals_of(who, "create"), refusals + 1);
    }
    EXPECT_EQ(rows_written(), before);
}

TEST_F(ComplaintStore, BadInputChangesNothing) {
    add_other_area();
    auto raised = [&](const std::optional<d::Actor>& who, const d::ComplaintForm& f) {
        return outcome(as(who, [&](ComplaintRepo& r) { return r.raise(f, "en"); }));
    };
    const auto snap = snapshot();
    auto f = public_form(sda_);
    f.area = "";
    EXPECT_EQ(raised(std::nullopt, f), "error.invalid area:field.choose_from_list");
    f.area = "999999";
    EXPECT_EQ(raised(std::nullopt, f), "error.invalid area:field.choose_from_list") << "no such area";
    EXPECT_EQ(raised(std::nullopt, public_form(bare_sda_, other_provider_)), "error.invalid area:field.choose_from_list")
        << "nobody coordinates it";
    EXPECT_EQ(raised(std::nullopt, public_form(sda_, other_provider_)), "error.invalid about_organisation:field.choose_from_list")
        << "another area's organisation";
    EXPECT_EQ(raised(staff_, {.kind = "complaint",
                              .category = "quality",
                              .about_organisation = std::to_string(other_provider_),
                              .description = "Late."}),
              "error.invalid about_organisation:field.choose_from_list");
    f = public_form(sda_);
    f.email = "";
    EXPECT_EQ(raised(std::nullopt, f), "error.invalid email:complaint.contact_required") << "a name without a way to answer";
    f = public_form(sda_);
    f.description = "";
    f.category = "";
    EXPECT_EQ(raised(std::nullopt, f), "error.invalid category:complaint.category_required description:field.required");
    EXPECT_EQ(snapshot(), snap) << "invalid input writes nothing, not even an audit row";

    // An anonymous complaint (neither name nor contact) is allowed.
    f = public_form(sda_);
    f.name = "";
    f.email = "";
    const auto id = raise(std::nullopt, f);
    ASSERT_GT(id, 0);

    const auto before = snapshot();
    auto triage_with = [&](const d::TriageForm& t) {
        return outcome(as(admin_, [&](ComplaintRepo& r) { return r.fire(id, d::ComplaintEvent::triage, t, ""); }));
    };
    EXPECT_EQ(triage_with({"quality", "", std::to_string(coord_ca_.user_id)}),
              "error.invalid severity:complaint.severity_required");
    EXPECT_EQ(triage_with({"quality", "high", ""}), "error.invalid owner:complaint.owner_required");
    EXPECT_EQ(triage_with({"quality", "high", "someone"}), "error.invalid owner:field.choose_from_list");
    EXPECT_EQ(triage_with({"nothing", "high", std::to_string(coord_ca_.user_id)}),
              "error.invalid category:field.choose_from_list");
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.add_step(id, "  "); })), "error.invalid note:field.required");
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.reassign(id, ""); })),
              "error.invalid owner:complaint.owner_required");
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(manager_.user_id)); })),
              "error.invalid owner:field.choose_from_list");
    EXPECT_EQ(outcome(fire(admin_, id, d::ComplaintEvent::withdraw, "")), "error.invalid note:field.required");
    EXPECT_EQ(outcome(fire(admin_, id, d::ComplaintEvent::resolve, "Too early.")), "lifecycle.not_from_state");
    EXPECT_EQ(outcome(as(admin_,
                         [](ComplaintRepo& r) {
                             return r.save_settings({"0", "30", "x"});
                         })),
              "error.invalid acknowledge_days:complaint.days_range appeal_days:complaint.days_range");
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(events_of(id), std::vector<std::string>{"receive:received"});
}

TEST_F(ComplaintStore, ReferencesNumberTheComplaintsOfTheYear) {
    add_other_area();
    // A later year, which the demo has no complaint of.
    const ManualClock later(clock_.now() + std::chrono::hours(24 * 366 * 3));
    const std::string year = std::to_string(date_of(later.now()).year);
    const auto first = raise(std::nullopt, public_form(sda_), &later);
    const auto second = raise(family_, signed_in_form(), &later);
    // Across the areas: one numbering.
    const auto third = raise(std::nullopt, public_form(other_sda_, other_provider_), &later);
    EXPECT_EQ(reference(first), "CMP-" + year + "-0001");
    EXPECT_EQ(reference(second), "CMP-" + year + "-0002");
    EXPECT_EQ(reference(third), "CMP-" + year + "-0003");
}

// ---------------------------------------------------------------- who reads what

TEST_F(ComplaintStore, EachReaderSeesTheRegisterOfTheirRelationship) {
    add_other_area();
    const auto pub = raise_public();
    const auto fam = raise(family_, signed_in_form());
    const auto staff = raise(staff_, signed_in_form());
    const auto far = raise(std::nullopt, public_form(other_sda_, other_provider_));
    ASSERT_TRUE(triage(pub, coord_ca_));
    const std::set<std::int64_t> made = {pub, fam, staff, far};

    // The agency's administrator: the area's whole register, no other area's.
    EXPECT_EQ(register_of(admin_, made), (Ids{staff, fam, pub}));
    EXPECT_EQ(register_of(other_admin_, made), (Ids{far}));
    EXPECT_EQ(read(admin_, far), "error.not_found");
    EXPECT_EQ(read(other_admin_, pub), "error.not_found");
    const auto agency_view = record(admin_, pub);
    EXPECT_EQ(agency_view.relationship, d::Relationship::coordinating_agency);
    EXPECT_EQ(agency_view.name, complainant);
    EXPECT_EQ(agency_view.description, account_of_events);
    EXPECT_EQ(agency_view.row.owner_id, coord_ca_.user_id);
    EXPECT_TRUE(agency_view.may_reassign);
    EXPECT_TRUE(agency_view.may_add_step);
    EXPECT_EQ(agency_view.available,
              (std::vector<d::ComplaintEvent>{d::ComplaintEvent::acknowledge, d::ComplaintEvent::withdraw}));
    const auto untriaged = record(admin_, fam);
    EXPECT_EQ(untriaged.available, (std::vector<d::ComplaintEvent>{d::ComplaintEvent::triage, d::ComplaintEvent::withdraw}));

    // The owner: the ones they own.
    EXPECT_EQ(register_of(coord_ca_, made), Ids{pub});
    const auto owner_view = record(coord_ca_, pub);
    EXPECT_EQ(owner_view.relationship, d::Relationship::assigned_coordinator);
    EXPECT_TRUE(owner_view.may_add_step);
    EXPECT_FALSE(owner_view.may_reassign);
    EXPECT_EQ(owner_view.available, std::vector<d::ComplaintEvent>{d::ComplaintEvent::acknowledge});
    EXPECT_EQ(read(coord_ca_, fam), "error.not_found") << "an agency coordinator who does not own it";
    EXPECT_EQ(register_of(privacy_, made), Ids{});
    EXPECT_EQ(read(privacy_, pub), "error.not_found");
    EXPECT_EQ(outcome(as(coord_ca_, [](ComplaintRepo& r) { return r.owner_choices(); })), "error.forbidden");

    // Whoever raised it: the family account, the staff member and their organisation's managers.
    EXPECT_EQ(register_of(family_, made), Ids{fam});
    const auto family_view = record(family_, fam);
    EXPECT_EQ(family_view.relationship, d::Relationship::self);
    EXPECT_FALSE(family_view.may_add_step);
    EXPECT_FALSE(family_view.may_reassign);
    EXPECT_EQ(family_view.available, std::vector<d::ComplaintEvent>{d::ComplaintEvent::withdraw});
    EXPECT_EQ(read(family_, pub), "error.not_found");
    EXPECT_EQ(register_of(staff_, made), Ids{staff});
    EXPECT_EQ(register_of(manager_ctc_, made), Ids{staff});
    EXPECT_EQ(record(manager_ctc_, staff).relationship, d::Relationship::self);
    EXPECT_EQ(read(staff_, pub), "error.not_found");

    // Another organisation sees neither what others raised nor what is about it.
    EXPECT_EQ(register_of(manager_, made), Ids{});
    EXPECT_EQ(read(manager_, pub), "error.not_found") << "about their organisation";
    EXPECT_EQ(read(manager_, staff), "error.not_found");
    EXPECT_EQ(register_of(coord1_, made), Ids{});
    EXPECT_EQ(read(coord1_, pub), "error.not_found");

    // No register for the analyst, the platform's administrator or nobody; no complaint either.
    for (const auto& who : std::vector<std::optional<d::Actor>>{analyst_, sysadmin_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        const auto refused = refusals_of(who, "list");
        EXPECT_EQ(outcome(as(who, [](ComplaintRepo& r) { return r.list({}); })), "error.forbidden");
        EXPECT_EQ(refusals_of(who, "list"), refused + 1);
        EXPECT_EQ(read(who, pub), "error.not_found");
        EXPECT_EQ(read(who, fam), "error.not_found");
        EXPECT_EQ(outcome(as(who, [](ComplaintRepo& r) { return r.settings(); })), "error.forbidden");
    }

    // Whoever raised it follows its moves, not the agency's working notes.
    ASSERT_TRUE(as(admin_, [&](ComplaintRepo& r) { return r.add_step(fam, "Called the provider's manager."); }));
    std::vector<std::string> seen;
    for (const auto& e : record(admin_, fam).events) seen.push_back(e.event);
    EXPECT_EQ(seen, (std::vector<std::string>{"receive", "step"}));
    seen.clear();
    for (const auto& e : record(family_, fam).events) seen.push_back(e.event);
    EXPECT_EQ(seen, std::vector<std::string>{"receive"});
}

// The register, the complaint's page and the owner's counts ask one question: does the reader own
// it while acting for the agency of its area (its first active coordinating organisation)?
TEST_F(ComplaintStore, TheRegisterThePageAndTheCountsAgreeOnWhoOwnsIt) {
    auto summary = [&]() {
        auto tx = t_->db->begin(TxMode::read);
        std::vector<AuditEvent> reads;
        return ComplaintRepo(testsupport::AccessForTests::reading(*tx, clock_, coord_ca_, "test", &reads), {catalogue(), ""})
            .owner_summary();
    };
    const int demo_owned = summary().open;  // the demo's own complaints
    const auto id = raise_public();
    ASSERT_TRUE(triage(id, coord_ca_));
    EXPECT_EQ(register_of(coord_ca_, {id}), Ids{id});
    EXPECT_EQ(record(coord_ca_, id).relationship, d::Relationship::assigned_coordinator);
    EXPECT_EQ(summary().open, demo_owned + 1);

    // The area's coordination passes to another organisation and the former agency is closed:
    // its coordinator, still signed in for it, no longer works the complaint anywhere.
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        d::Organisation o;
        o.sda_id = sda_;
        o.name_fr = "Nouvelle agence de coordination";
        o.name_en = "New Coordinating Agency";
        o.sector = d::Sector::social_services;
        o.csp_roles = {d::CspRole::coordinating_agency};
        ASSERT_TRUE(ids.create_organisation(o, 0));
        ASSERT_TRUE(ids.set_organisation_active(agency_, false, 0));
        tx->commit();
    }
    EXPECT_EQ(read(coord_ca_, id), "error.not_found");
    EXPECT_EQ(register_of(coord_ca_, {id}), Ids{}) << "as on the complaint's page";
    EXPECT_EQ(summary().open, 0) << "nor any other";
}

// Named before triage, the owner hears of it once, from the triage that confirms them.
TEST_F(ComplaintStore, AnOwnerNamedBeforeTriageIsToldOnceByTheTriage) {
    const auto id = raise_public();
    const auto assigned = catalogue().t(Lang::en, "complaint.notify.assigned", {reference(id), day(3)});
    ASSERT_TRUE(as(admin_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(coord_ca_.user_id)); }));
    EXPECT_EQ(scalar("SELECT owner_user_id FROM complaints WHERE id = ?", {id}), coord_ca_.user_id);
    EXPECT_EQ(told(id, assigned), Ids{});
    ASSERT_TRUE(triage(id, coord_ca_));
    EXPECT_EQ(told(id, assigned), Ids{coord_ca_.user_id});
}

TEST_F(ComplaintStore, TriageNamesAnOwnerAmongTheAgencysStaffOnly) {
    add_other_area();
    const auto id = raise_public();
    const auto staff = raise(staff_, signed_in_form());
    const auto ref = reference(id);
    const auto before = rows_written();
    EXPECT_EQ(outcome(triage(id, manager_)), "error.invalid owner:field.choose_from_list") << "a provider's manager";
    EXPECT_EQ(outcome(triage(id, coord1_)), "error.invalid owner:field.choose_from_list") << "a provider's coordinator";
    EXPECT_EQ(outcome(triage(id, other_admin_)), "error.invalid owner:field.choose_from_list") << "another area's agency";
    EXPECT_EQ(outcome(triage(id, coord_ca_, &coord_ca_)), "error.not_found") << "not theirs";
    EXPECT_EQ(outcome(triage(id, coord_ca_, &other_admin_)), "error.not_found");
    EXPECT_EQ(outcome(triage(staff, coord_ca_, &staff_)), "error.forbidden") << "the raiser does not triage";
    EXPECT_EQ(rows_written(), before);

    // The choices: the agency's staff who may own one.
    auto choices = as(admin_, [](ComplaintRepo& r) { return r.owner_choices(); });
    ASSERT_TRUE(choices) << outcome(choices);
    Ids offered;
    for (const auto& c : *choices) offered.push_back(c.user_id);
    for (const auto& in : {admin_, coord_ca_, privacy_})
        EXPECT_TRUE(std::count(offered.begin(), offered.end(), in.user_id)) << in.user_id;
    for (const auto& out : {manager_, coord1_, staff_, other_admin_})
        EXPECT_FALSE(std::count(offered.begin(), offered.end(), out.user_id)) << out.user_id;

    auto done = as(admin_, [&](ComplaintRepo& r) {
        return r.fire(id, d::ComplaintEvent::triage, {"conduct", "critical", std::to_string(coord_ca_.user_id)}, "");
    });
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(*done, d::ComplaintStatus::triaged);
    EXPECT_EQ(text("SELECT status || ' ' || category || ' ' || severity FROM complaints WHERE id = ?", {id}),
              "triaged conduct critical");
    EXPECT_EQ(scalar("SELECT owner_user_id FROM complaints WHERE id = ?", {id}), coord_ca_.user_id);
    EXPECT_EQ(scalar("SELECT updated_by FROM complaints WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"receive:received", "triage:triaged"}));
    // The owner is told what they are working against.
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.assigned", {ref, day(3)})), Ids{coord_ca_.user_id});
    EXPECT_EQ(outcome(triage(id, coord_ca_)), "lifecycle.not_from_state");

    // Another owner, by the agency only; the new owner is told; the history names them.
    EXPECT_EQ(outcome(as(coord_ca_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(privacy_.user_id)); })),
              "error.forbidden");
    ASSERT_TRUE(as(admin_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(privacy_.user_id)); }));
    EXPECT_EQ(scalar("SELECT owner_user_id FROM complaints WHERE id = ?", {id}), privacy_.user_id);
    EXPECT_EQ(events_of(id), (std::vector<std::string>{"receive:received", "triage:triaged", "reassign:triaged"}));
    EXPECT_EQ(text("SELECT note FROM complaint_events WHERE complaint_id = ? AND event = 'reassign'", {id}),
              text("SELECT display_name FROM users WHERE id = ?", {privacy_.user_id}));
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.assigned", {ref, day(3)})),
              sorted({coord_ca_.user_id, privacy_.user_id}));
    EXPECT_EQ(read(coord_ca_, id), "error.not_found") << "no longer theirs";
    EXPECT_EQ(record(privacy_, id).relationship, d::Relationship::assigned_coordinator);
}

// ---------------------------------------------------------------- the lifecycle

TEST_F(ComplaintStore, AComplaintIsHandledResolvedAppealedAndTheAppealDecidedByTheAgencysAdministrator) {
    auto form = signed_in_form();
    form.name = complainant;
    const auto id = raise(family_, form);
    const auto ref = reference(id);
    ASSERT_TRUE(triage(id, coord_ca_));

    // The owner acknowledges; the family is told.
    move(coord_ca_, id, d::ComplaintEvent::acknowledge, "We have your complaint and will call you this week.");
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.acknowledged", {ref})), Ids{family_.user_id});
    ASSERT_TRUE(as(coord_ca_, [&](ComplaintRepo& r) { return r.add_step(id, "Called the provider's manager."); }));
    EXPECT_EQ(outcome(as(coord_ca_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(admin_.user_id)); })),
              "error.forbidden");
    EXPECT_EQ(outcome(fire(coord_ca_, id, d::ComplaintEvent::withdraw, "Not mine to withdraw.")), "error.forbidden");

    // The owner resolves: the resolution, today, and the last day to appeal; the family is told.
    EXPECT_EQ(outcome(fire(coord_ca_, id, d::ComplaintEvent::resolve, "")), "error.invalid note:field.required");
    move(coord_ca_, id, d::ComplaintEvent::resolve, "Letters will be sent in English from now on.");
    EXPECT_EQ(text("SELECT status || ' ' || resolved_on || ' ' || appeal_due FROM complaints WHERE id = ?", {id}),
              "resolved " + today_.iso() + " " + day(30));
    EXPECT_EQ(text("SELECT resolution FROM complaints WHERE id = ?", {id}), "Letters will be sent in English from now on.");
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.resolved", {ref, day(30)})), Ids{family_.user_id});
    const auto family_view = record(family_, id);
    EXPECT_EQ(family_view.resolution, "Letters will be sent in English from now on.");
    EXPECT_EQ(family_view.appeal_due, day(30));
    EXPECT_EQ(family_view.available, std::vector<d::ComplaintEvent>{d::ComplaintEvent::appeal});
    EXPECT_FALSE(family_view.row.deadline) << "nothing is waited on the agency";

    // The family appeals within the window; the appeal is decided within the window again.
    const auto ten = at(10);
    move(family_, id, d::ComplaintEvent::appeal, "The last two letters were still in French.", &ten);
    EXPECT_EQ(text("SELECT status || ' ' || appeal_due FROM complaints WHERE id = ?", {id}), "appealed " + day(40));
    EXPECT_EQ(text("SELECT appeal_reason FROM complaints WHERE id = ?", {id}), "The last two letters were still in French.");
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.appealed", {ref})), Ids{admin_.user_id});
    const auto appealed = record(admin_, id, &ten);
    ASSERT_TRUE(appealed.row.deadline);
    EXPECT_EQ(appealed.row.deadline->which, d::ComplaintDeadline::appeal);
    EXPECT_EQ(appealed.row.deadline->due.iso(), day(40));

    // Not by the owner, who resolved it: the manager decides. The refusal is recorded.
    const auto refusals = refusals_of(coord_ca_, "update");
    const auto twelve = at(12);
    EXPECT_EQ(outcome(fire(coord_ca_, id, d::ComplaintEvent::decide_appeal, "Upheld.", &twelve)), "error.forbidden");
    EXPECT_EQ(refusals_of(coord_ca_, "update"), refusals + 1);
    EXPECT_EQ(text("SELECT decision || ' ' || reason FROM audit_events WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                   {coord_ca_.user_id}),
              "deny role_relationship_not_permitted");
    EXPECT_EQ(outcome(fire(family_, id, d::ComplaintEvent::decide_appeal, "Upheld.", &twelve)), "error.forbidden");
    move(admin_, id, d::ComplaintEvent::decide_appeal, "Upheld in part: every letter is checked before it is sent.", &twelve);
    EXPECT_EQ(text("SELECT status || ' ' || appeal_decision FROM complaints WHERE id = ?", {id}),
              "closed Upheld in part: every letter is checked before it is sent.");
    EXPECT_EQ(told(id, catalogue().t(Lang::en, "complaint.notify.appeal_decided", {ref})), Ids{family_.user_id});

    EXPECT_EQ(events_of(id),
              (std::vector<std::string>{"receive:received", "triage:triaged", "acknowledge:acknowledged", "step:acknowledged",
                                        "resolve:resolved", "appeal:appealed", "decide_appeal:closed"}));
    EXPECT_EQ(text("SELECT note FROM complaint_events WHERE complaint_id = ? AND event = 'acknowledge'", {id}),
              "We have your complaint and will call you this week.");
    std::vector<std::string> seen;
    for (const auto& e : record(family_, id).events) seen.push_back(e.event);
    EXPECT_EQ(seen, (std::vector<std::string>{"receive", "triage", "acknowledge", "resolve", "appeal", "decide_appeal"}));

    // Closed: nothing more.
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.add_step(id, "Late note."); })), "complaint.closed");
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.reassign(id, std::to_string(privacy_.user_id)); })),
              "complaint.closed");
    EXPECT_EQ(outcome(fire(family_, id, d::ComplaintEvent::withdraw, "Never mind.")), "lifecycle.not_from_state");
    const auto closed = record(admin_, id);
    EXPECT_TRUE(closed.available.empty());
    EXPECT_FALSE(closed.may_add_step);
    EXPECT_FALSE(closed.may_reassign);

    // No notification names the complainant or repeats what they wrote.
    EXPECT_GE(scalar("SELECT COUNT(*) FROM notifications WHERE link = ?", {"/complaints/" + std::to_string(id)}), 5);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link = ? AND (text_fr LIKE ? OR text_en LIKE ? OR text_fr "
                     "LIKE ? OR text_en LIKE ?)",
                     {"/complaints/" + std::to_string(id), "%Plaignant%", "%Plaignant%", "%cancelled%", "%cancelled%"}),
              0);
}

// Nobody reviews their own resolution: an administrator who owned the complaint, or resolved it
// for the agency, leaves its appeal to another administrator of the area.
TEST_F(ComplaintStore, AnAdministratorWhoOwnedOrResolvedItLeavesTheAppealToAnother) {
    const auto second = agency_staff("second.admin@example.org", d::Role::ca_admin);
    const auto owned = raise(family_, signed_in_form());
    const auto for_agency = raise(family_, signed_in_form());
    resolve(owned, admin_);
    ASSERT_TRUE(triage(for_agency, coord_ca_));
    move(coord_ca_, for_agency, d::ComplaintEvent::acknowledge);
    move(admin_, for_agency, d::ComplaintEvent::resolve, "Resolved by the administrator for the agency.");
    const auto two = at(2), three = at(3);
    for (const auto id : {owned, for_agency}) {
        SCOPED_TRACE(id == owned ? "owned by the administrator" : "resolved by the administrator");
        move(family_, id, d::ComplaintEvent::appeal, "We disagree with the resolution.", &two);
        const auto refused = refusals_of(admin_, "update");
        EXPECT_EQ(outcome(fire(admin_, id, d::ComplaintEvent::decide_appeal, "Upheld.", &three)), "error.forbidden");
        EXPECT_EQ(refusals_of(admin_, "update"), refused + 1);
        EXPECT_EQ(text("SELECT decision || ' ' || reason FROM audit_events WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                       {admin_.user_id}),
                  "deny role_relationship_not_permitted");
        EXPECT_EQ(text("SELECT status FROM complaints WHERE id = ?", {id}), "appealed");
        // Their page offers no decision; the other administrator's does, and they decide it.
        const auto own = record(admin_, id, &three);
        EXPECT_EQ(own.relationship, d::Relationship::coordinating_agency);
        EXPECT_TRUE(own.available.empty());
        EXPECT_EQ(record(second, id, &three).available, std::vector<d::ComplaintEvent>{d::ComplaintEvent::decide_appeal});
        move(second, id, d::ComplaintEvent::decide_appeal, "Upheld: the resolution stands.", &three);
        EXPECT_EQ(text("SELECT status || ' ' || updated_by FROM complaints WHERE id = ?", {id}),
                  "closed " + std::to_string(second.user_id));
    }
}

TEST_F(ComplaintStore, AnAppealComesWithinTheWindowAndTheAgencyClosesOnceItIsOver) {
    const auto inside = raise(staff_, signed_in_form());
    const auto outside = raise(staff_, signed_in_form());
    resolve(inside, coord_ca_);
    resolve(outside, coord_ca_);
    // The last day to appeal is included.
    const auto last_day = at(30), after = at(31);
    EXPECT_EQ(outcome(fire(admin_, outside, d::ComplaintEvent::close, "", &last_day)), "complaint.appeal_window_open");
    move(manager_ctc_, inside, d::ComplaintEvent::appeal, "The provider's manager disagrees.", &last_day);
    EXPECT_EQ(text("SELECT status FROM complaints WHERE id = ?", {inside}), "appealed");
    EXPECT_EQ(outcome(fire(staff_, outside, d::ComplaintEvent::appeal, "Too late?", &after)), "complaint.appeal_window_closed");
    EXPECT_EQ(record(staff_, outside, &after).available, std::vector<d::ComplaintEvent>{});
    move(admin_, outside, d::ComplaintEvent::close, "", &after);
    EXPECT_EQ(text("SELECT status FROM complaints WHERE id = ?", {outside}), "closed");
    EXPECT_EQ(outcome(fire(coord_ca_, outside, d::ComplaintEvent::close, "", &after)), "lifecycle.not_from_state");
}

TEST_F(ComplaintStore, WhoeverRaisedItWithdrawsItWhileOpen) {
    const auto staff = raise(staff_, signed_in_form());
    const auto fam = raise(family_, signed_in_form());
    const auto pub = raise_public();
    EXPECT_EQ(outcome(fire(staff_, staff, d::ComplaintEvent::withdraw, "")), "error.invalid note:field.required");
    EXPECT_EQ(outcome(fire(family_, staff, d::ComplaintEvent::withdraw, "Not ours.")), "error.not_found");
    EXPECT_EQ(outcome(fire(family_, pub, d::ComplaintEvent::withdraw, "Not ours.")), "error.not_found");
    move(staff_, staff, d::ComplaintEvent::withdraw, "Settled with the provider directly.");
    EXPECT_EQ(events_of(staff), (std::vector<std::string>{"receive:received", "withdraw:withdrawn"}));
    EXPECT_EQ(text("SELECT note FROM complaint_events WHERE complaint_id = ? AND event = 'withdraw'", {staff}),
              "Settled with the provider directly.");
    ASSERT_TRUE(triage(fam, coord_ca_));
    move(family_, fam, d::ComplaintEvent::withdraw, "The letters now come in English.");
    EXPECT_EQ(text("SELECT status FROM complaints WHERE id = ?", {fam}), "withdrawn");
    // The agency on the complainant's behalf (a telephone call).
    move(admin_, pub, d::ComplaintEvent::withdraw, "By telephone: resolved with the provider.");
    EXPECT_EQ(text("SELECT status FROM complaints WHERE id = ?", {pub}), "withdrawn");
    EXPECT_EQ(outcome(as(admin_, [&](ComplaintRepo& r) { return r.add_step(pub, "After the fact."); })), "complaint.closed");

    // Whoever was working on it is told: its owner, or the area's administrators while it has
    // none (not the one who withdrew it).
    auto withdrawn = [&](std::int64_t id) {
        return told(id, catalogue().t(Lang::en, "complaint.notify.withdrawn", {reference(id)}));
    };
    EXPECT_EQ(withdrawn(staff), Ids{admin_.user_id}) << "no owner yet";
    EXPECT_EQ(withdrawn(fam), Ids{coord_ca_.user_id});
    EXPECT_EQ(withdrawn(pub), Ids{}) << "withdrawn by the only administrator";
    for (const auto lang : {Lang::fr, Lang::en}) EXPECT_TRUE(catalogue().has(lang, "complaint.notify.withdrawn"));
}

// An owner whose membership at the agency ended is no longer the one told: the area's
// administrators stand in.
TEST_F(ComplaintStore, AWithdrawalAndRemindersGoToTheAdministratorsOnceTheOwnerLeftTheAgency) {
    const auto leaving = agency_staff("leaving.owner@example.org", d::Role::coordinator);
    const auto reminded_one = raise_public();
    const auto withdrawn_one = raise(family_, signed_in_form());
    ASSERT_TRUE(triage(reminded_one, leaving));
    ASSERT_TRUE(triage(withdrawn_one, leaving));
    end_membership(leaving);
    run_reminders(at(1));
    EXPECT_EQ(reminded(reminded_one, "acknowledge", day(3)), Ids{admin_.user_id});
    move(family_, withdrawn_one, d::ComplaintEvent::withdraw, "Settled.");
    EXPECT_EQ(told(withdrawn_one, catalogue().t(Lang::en, "complaint.notify.withdrawn", {reference(withdrawn_one)})),
              Ids{admin_.user_id});
}

// Two people moving one complaint at once: the compare-and-set lets exactly one through, on both
// databases; the others get a Conflict and leave nothing behind.
TEST_F(ComplaintStore, TwoMovesFromTheSameStateLetExactlyOneThrough) {
    const auto id = raise_public();
    ASSERT_TRUE(triage(id, coord_ca_));
    const auto handled = handled_rows();
    constexpr int n = 3;  // the test database's pool holds four connections
    std::atomic<int> ready{0}, won{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            ++ready;
            while (ready < n) std::this_thread::yield();
            auto tx = t_->db->begin(TxMode::write);
            ComplaintRepo repo(testsupport::AccessForTests::as(*tx, clock_, i == 0 ? admin_ : coord_ca_, "race"),
                               {catalogue(), "http://127.0.0.1"});
            auto moved = repo.fire(id, d::ComplaintEvent::acknowledge, {}, "");
            if (moved) {
                // Hold the change a moment, so the others really run into it.
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                tx->commit();
                ++won;
            } else {
                EXPECT_EQ(moved.error().code, Errc::Conflict) << outcome(moved);
                ++conflicts;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(conflicts, n - 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = ? AND event = 'acknowledge'", {id}), 1);
    EXPECT_EQ(handled_rows(), handled + 1) << "the losers' accesses were not made";

    // One after the other, the second finds it moved on.
    const auto other = raise_public();
    ASSERT_TRUE(triage(other, coord_ca_));
    move(coord_ca_, other, d::ComplaintEvent::acknowledge);
    EXPECT_EQ(outcome(fire(admin_, other, d::ComplaintEvent::acknowledge)), "lifecycle.not_from_state");
    EXPECT_TRUE(verify_audit_chain(*t_->db).intact());
}

TEST_F(ComplaintStore, EachAccessIsAuditedOnceAndInvalidInputIsNot) {
    auto rows = [&](const std::string& action, const d::Actor& who) {
        return scalar(
            "SELECT COUNT(*) FROM audit_events WHERE reason = 'complaint_handling' AND decision = 'permit' AND "
            "category = 'identity_contact' AND purpose = 'coordination' AND action = ? AND user_id = ?",
            {action, who.user_id});
    };
    const auto creates = rows("create", staff_);
    const auto id = raise(staff_, signed_in_form());
    EXPECT_EQ(rows("create", staff_), creates + 1);

    const auto reads = rows("read", admin_);
    record(admin_, id);
    EXPECT_EQ(rows("read", admin_), reads + 1);
    const auto lists = rows("list", admin_);
    register_of(admin_, {id});
    EXPECT_EQ(rows("list", admin_), lists + 1) << "one row for the page";
    const auto own_lists = rows("list", staff_);
    register_of(staff_, {id});
    EXPECT_EQ(rows("list", staff_), own_lists + 1);

    const auto updates = rows("update", admin_);
    ASSERT_TRUE(triage(id, coord_ca_));
    EXPECT_EQ(rows("update", admin_), updates + 1);
    ASSERT_TRUE(as(admin_, [&](ComplaintRepo& r) { return r.add_step(id, "Read the file."); }));
    EXPECT_EQ(rows("update", admin_), updates + 2);

    // Invalid input, a conflict: nothing was shown or changed, nothing recorded.
    const auto handled = handled_rows();
    const auto all = scalar("SELECT COUNT(*) FROM audit_events");
    EXPECT_EQ(outcome(fire(coord_ca_, id, d::ComplaintEvent::resolve, "Too early.")), "lifecycle.not_from_state");
    EXPECT_EQ(outcome(as(coord_ca_, [&](ComplaintRepo& r) { return r.add_step(id, ""); })), "error.invalid note:field.required");
    EXPECT_EQ(outcome(triage(id, coord_ca_)), "lifecycle.not_from_state");
    EXPECT_EQ(handled_rows(), handled);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), all);

    // A refusal is recorded: nobody's relationship, denied.
    const auto refused = refusals_of(coord1_, "read");
    EXPECT_EQ(read(coord1_, id), "error.not_found");
    EXPECT_EQ(refusals_of(coord1_, "read"), refused + 1);
    EXPECT_EQ(
        text("SELECT reason FROM audit_events WHERE user_id = ? AND action = 'read' ORDER BY id DESC LIMIT 1", {coord1_.user_id}),
        "no_relationship");
    EXPECT_EQ(read(std::nullopt, id), "error.not_found");
    EXPECT_TRUE(verify_audit_chain(*t_->db).intact());
}

// ---------------------------------------------------------------- the area's deadlines

TEST_F(ComplaintStore, TheAreasDeadlinesApplyToComplaintsReceivedAfterTheChange) {
    add_other_area();
    auto never_set = as(other_admin_, [](ComplaintRepo& r) { return r.settings(); });
    ASSERT_TRUE(never_set) << outcome(never_set);
    EXPECT_EQ(never_set->acknowledge_days, 3);
    EXPECT_EQ(never_set->resolve_days, 30);
    EXPECT_EQ(never_set->appeal_days, 30);

    const auto old = raise_public();
    ASSERT_TRUE(as(admin_, [](ComplaintRepo& r) { return r.save_settings({"5", "45", "20"}); }));
    auto now = as(admin_, [](ComplaintRepo& r) { return r.settings(); });
    ASSERT_TRUE(now) << outcome(now);
    EXPECT_EQ(now->acknowledge_days, 5);
    EXPECT_EQ(now->resolve_days, 45);
    EXPECT_EQ(now->appeal_days, 20);
    EXPECT_EQ(scalar("SELECT updated_by FROM complaint_settings WHERE sda_id = ?", {sda_}), admin_.user_id);
    for (const auto& who : {coord_ca_, manager_, analyst_, family_}) {
        SCOPED_TRACE(std::string(d::code(who.role)));
        EXPECT_EQ(outcome(as(who, [](ComplaintRepo& r) { return r.settings(); })), "error.forbidden");
        EXPECT_EQ(outcome(as(who, [](ComplaintRepo& r) { return r.save_settings({"1", "1", "1"}); })), "error.forbidden");
    }

    // What was received keeps its deadlines; what comes after gets the new ones.
    EXPECT_EQ(text("SELECT acknowledge_due || ' ' || resolve_due FROM complaints WHERE id = ?", {old}), day(3) + " " + day(30));
    auto made = as(std::nullopt, [&](ComplaintRepo& r) { return r.raise(public_form(sda_), "fr"); });
    ASSERT_TRUE(made) << outcome(made);
    EXPECT_EQ(made->acknowledge_due, day(5));
    EXPECT_EQ(text("SELECT acknowledge_due || ' ' || resolve_due FROM complaints WHERE id = ?", {made->id}),
              day(5) + " " + day(45));
    const auto far = raise(std::nullopt, public_form(other_sda_, other_provider_));
    EXPECT_EQ(text("SELECT acknowledge_due || ' ' || resolve_due FROM complaints WHERE id = ?", {far}), day(3) + " " + day(30))
        << "another area's own";
    resolve(made->id, coord_ca_);
    EXPECT_EQ(text("SELECT appeal_due FROM complaints WHERE id = ?", {made->id}), day(20));
    // The window to appeal is the one in force at the resolution, whenever it was received.
    resolve(old, coord_ca_);
    EXPECT_EQ(text("SELECT acknowledge_due || ' ' || resolve_due || ' ' || appeal_due FROM complaints WHERE id = ?", {old}),
              day(3) + " " + day(30) + " " + day(20));
}

// ---------------------------------------------------------------- the register's order and filters

TEST_F(ComplaintStore, TheRegisterListsOverdueFirstFiltersAndCountsWhatAnOwnerHas) {
    const auto owner = agency_staff("owner.test@example.org", d::Role::coordinator);
    const auto x = raise_public();
    const auto y = raise(family_, signed_in_form());
    const auto z = raise_public();
    ASSERT_TRUE(triage(x, owner));
    ASSERT_TRUE(triage(y, owner));
    move(owner, y, d::ComplaintEvent::acknowledge);
    const std::set<std::int64_t> made = {x, y, z};
    const auto four = at(4);

    // x and z are past their acknowledgement (the newest first among equals), y is due in 26 days.
    EXPECT_EQ(register_of(admin_, made, {}, &four), (Ids{z, x, y}));
    auto list = as_at(admin_, four, [](ComplaintRepo& r) { return r.list({}); });
    ASSERT_TRUE(list);
    for (const auto& row : *list) {
        if (row.id == x) {
            ASSERT_TRUE(row.deadline);
            EXPECT_TRUE(row.deadline->overdue);
            EXPECT_EQ(row.deadline->which, d::ComplaintDeadline::acknowledge);
            EXPECT_EQ(row.owner_id, owner.user_id);
            EXPECT_EQ(row.owner_name, "Sam Responsable-Test");
            EXPECT_EQ(row.severity, d::ComplaintSeverity::high);
            EXPECT_EQ(row.about_en, text("SELECT name_en FROM organisations WHERE id = ?", {prov1_}));
        }
        if (row.id == y) {
            ASSERT_TRUE(row.deadline);
            EXPECT_FALSE(row.deadline->overdue);
            EXPECT_EQ(row.deadline->which, d::ComplaintDeadline::resolve);
            EXPECT_EQ(row.source, d::ComplaintSource::family);
        }
        if (row.id == z) {
            EXPECT_FALSE(row.severity);
        }
    }

    // At most `limit` rows, the first ones in the same order: the page asks for one more than it
    // shows, to say that the filters should narrow it.
    static_assert(ComplaintRepo::max_rows == 500);
    auto first_two = as_at(admin_, four, [](ComplaintRepo& r) { return r.list({}, 2); });
    ASSERT_TRUE(first_two) << outcome(first_two);
    ASSERT_EQ(first_two->size(), 2u);
    ASSERT_GE(list->size(), 3u);
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ((*first_two)[i].id, (*list)[i].id) << i;

    d::ComplaintQuery q;
    q.overdue_only = true;
    EXPECT_EQ(register_of(admin_, made, q, &four), (Ids{z, x}));
    q = {};
    q.status = d::ComplaintStatus::acknowledged;
    EXPECT_EQ(register_of(admin_, made, q, &four), Ids{y});
    q = {};
    q.source = d::ComplaintSource::public_form;
    EXPECT_EQ(register_of(admin_, made, q, &four), (Ids{z, x}));
    q = {};
    q.owner = owner.user_id;
    EXPECT_EQ(register_of(admin_, made, q, &four), (Ids{x, y}));
    q = {};
    q.category = d::ComplaintCategory::wait_times;
    EXPECT_EQ(register_of(admin_, made, q, &four), Ids{z}) << "x was triaged as quality";
    q = {};
    q.severity = d::ComplaintSeverity::high;
    EXPECT_EQ(register_of(admin_, made, q, &four), (Ids{x, y}));
    q = {};
    q.mine = true;
    EXPECT_EQ(register_of(owner, made, q, &four), (Ids{x, y}));
    EXPECT_EQ(register_of(admin_, made, q, &four), Ids{});
    move(admin_, z, d::ComplaintEvent::withdraw, "By telephone.");
    q = {};
    q.open_only = true;
    EXPECT_EQ(register_of(admin_, made, q, &four), (Ids{x, y}));

    auto summary = [&](const d::Actor& who, const Clock& clock) {
        auto tx = t_->db->begin(TxMode::read);
        std::vector<AuditEvent> reads;
        return ComplaintRepo(testsupport::AccessForTests::reading(*tx, clock, who, "test", &reads), {catalogue(), ""})
            .owner_summary();
    };
    auto s = summary(owner, four);
    EXPECT_EQ(s.open, 2);
    EXPECT_EQ(s.overdue, 1);
    EXPECT_EQ(s.due_soon, 0);
    s = summary(owner, at(28));
    EXPECT_EQ(s.open, 2);
    EXPECT_EQ(s.overdue, 1);
    EXPECT_EQ(s.due_soon, 1) << "y is due in 2 days";
    s = summary(manager_, four);
    EXPECT_EQ(s.open + s.overdue + s.due_soon, 0);
}

// ---------------------------------------------------------------- reminders

// The decision on an appeal is the administrators' to make: its reminder goes to them, not to the
// owner who resolved it.
TEST_F(ComplaintStore, TheDecisionOnAnAppealIsRemindedToTheAdministrators) {
    const auto second = agency_staff("second.admin@example.org", d::Role::ca_admin);
    const auto id = raise(family_, signed_in_form());
    resolve(id, coord_ca_);
    move(family_, id, d::ComplaintEvent::appeal, "We disagree with the resolution.");
    run_reminders(at(27));
    EXPECT_EQ(reminded(id, "appeal", day(30)), Ids{});
    run_reminders(at(28));
    EXPECT_EQ(reminded(id, "appeal", day(30)), sorted({admin_.user_id, second.user_id}));
    run_reminders(at(29));
    EXPECT_EQ(reminded(id, "appeal", day(30)), sorted({admin_.user_id, second.user_id})) << "once per due day";
}

TEST_F(ComplaintStore, RemindersGoOnceToTheOwnerAndAnOverdueOneIsEscalatedOnceToTheAdministrators) {
    add_other_area();  // its administrator hears nothing of this area's complaints
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
    const auto owned = raise_public();
    const auto unowned = raise_public();
    const auto far = raise(std::nullopt, public_form(other_sda_, other_provider_));
    ASSERT_TRUE(triage(owned, coord_ca_));
    const std::string a = std::to_string(owned), b = std::to_string(unowned);
    const auto ref = reference(owned);

    auto remind = [&](const Clock& clock) {
        auto tx = t_->db->begin(TxMode::write);
        const int n = raise_complaint_reminders(*tx, clock, catalogue(), "http://127.0.0.1");
        tx->commit();
        return n;
    };
    auto escalations = [&](std::int64_t id) {
        return texts(
            "SELECT status || ':' || note FROM complaint_events WHERE complaint_id = ? AND event = 'escalate' AND "
            "user_id IS NULL",
            {id});
    };
    const std::string due_soon = "complaint-due:" + a + ":acknowledge:" + day(3);

    // Three days ahead: nothing; two: the owner, and the administrators for the one without an owner.
    remind(clock_);
    EXPECT_TRUE(recipients(due_soon).empty());
    const auto notes_before = scalar("SELECT COUNT(*) FROM notifications");
    const int written = remind(at(1));
    EXPECT_EQ(written, scalar("SELECT COUNT(*) FROM notifications") - notes_before);
    EXPECT_EQ(recipients(due_soon), Ids{coord_ca_.user_id});
    EXPECT_EQ(recipients("complaint-due:" + b + ":acknowledge:" + day(3)), sorted({admin_.user_id, second}));
    EXPECT_EQ(text("SELECT kind FROM notifications WHERE dedupe_key = ?", {due_soon}), "complaint");
    EXPECT_EQ(text("SELECT link FROM notifications WHERE dedupe_key = ?", {due_soon}), "/complaints/" + a);
    EXPECT_EQ(text("SELECT reference FROM notifications WHERE dedupe_key = ?", {due_soon}), ref);
    const auto soon_en = text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {due_soon});
    EXPECT_EQ(soon_en, catalogue().t(Lang::en, "complaint.reminder.due_soon",
                                     {ref, catalogue().t(Lang::en, "complaint.deadline.acknowledge"), day(3)}));
    EXPECT_EQ(text("SELECT text_fr FROM notifications WHERE dedupe_key = ?", {due_soon}),
              catalogue().t(Lang::fr, "complaint.reminder.due_soon",
                            {ref, catalogue().t(Lang::fr, "complaint.deadline.acknowledge"), day(3)}));
    EXPECT_NE(soon_en, "complaint.reminder.due_soon") << "the sentence is in the catalogue";

    // Once per complaint, deadline and due day.
    remind(at(1));
    remind(at(3));
    EXPECT_EQ(recipients(due_soon), Ids{coord_ca_.user_id});
    EXPECT_TRUE(escalations(owned).empty());

    // Overdue: escalated to the area's administrators (active ones), once, with one event row.
    const auto four = at(4);
    remind(four);
    const std::string overdue = "complaint-overdue:" + a + ":acknowledge";
    EXPECT_EQ(recipients(overdue), sorted({admin_.user_id, second}));
    EXPECT_EQ(text("SELECT text_en FROM notifications WHERE dedupe_key = ?", {overdue}),
              catalogue().t(Lang::en, "complaint.reminder.overdue",
                            {ref, catalogue().t(Lang::en, "complaint.deadline.acknowledge"), day(3)}));
    EXPECT_EQ(escalations(owned), std::vector<std::string>{"triaged:acknowledge"});
    EXPECT_EQ(escalations(unowned), std::vector<std::string>{"received:acknowledge"});
    remind(four);
    remind(at(5));
    EXPECT_EQ(recipients(overdue), sorted({admin_.user_id, second}));
    EXPECT_EQ(escalations(owned), std::vector<std::string>{"triaged:acknowledge"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link IN (?, ?)",
                     {other_admin_.user_id, "/complaints/" + a, "/complaints/" + b}),
              0);
    EXPECT_EQ(recipients("complaint-overdue:" + std::to_string(far) + ":acknowledge"), Ids{other_admin_.user_id});
    // The escalation is the agency's: whoever raised it does not see it.
    std::vector<std::string> seen;
    for (const auto& e : record(admin_, owned, &four).events) seen.push_back(e.event);
    EXPECT_EQ(seen, (std::vector<std::string>{"receive", "triage", "escalate"}));

    // Acknowledged late: the resolution is what is waited on now, reminded once its day is near.
    const auto five = at(5);
    move(coord_ca_, owned, d::ComplaintEvent::acknowledge, "", &five);
    remind(at(27));
    EXPECT_TRUE(recipients("complaint-due:" + a + ":resolve:" + day(30)).empty());
    remind(at(28));
    EXPECT_EQ(recipients("complaint-due:" + a + ":resolve:" + day(30)), Ids{coord_ca_.user_id});
    remind(at(31));
    EXPECT_EQ(recipients("complaint-overdue:" + a + ":resolve"), sorted({admin_.user_id, second}));
    EXPECT_EQ(escalations(owned), (std::vector<std::string>{"triaged:acknowledge", "acknowledged:resolve"}));

    // Nothing about a complaint names its complainant or repeats what they wrote.
    EXPECT_GT(scalar("SELECT COUNT(*) FROM notifications WHERE link IN (?, ?)", {"/complaints/" + a, "/complaints/" + b}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE link LIKE '/complaints/%' AND (text_fr LIKE ? OR text_en LIKE "
                     "? OR text_fr LIKE ? OR text_en LIKE ?)",
                     {"%Plaignant%", "%Plaignant%", "%cancelled%", "%cancelled%"}),
              0);
}
