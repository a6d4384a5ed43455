// The integration maturity repository (features/network/store/maturity_repo.hpp), against SQLite
// (label db) and PostgreSQL (label pg), on the demo data (the Demo East Region, its coordinating
// agency's administrator, a provider's manager and coordinator, the ministry's analyst) and
// another area made here with its own administrator and provider manager. An area's
// administrators record assessments of their area and of its partnerships that are not expired or
// terminated, each with its levels as ranks, its marks and its computed score and stage; a
// subject that is not theirs (told with the form's other errors), and any field error, writes
// nothing. The area's provider managers
// read them, the analyst every area's; another area's reader finds nothing; anyone else is
// refused. A subject's history is in date then id order, each assessment knowing the one before.
// Lists are read in the same statements, with the same parameters, whatever their length.
// The demo loads agreements of its own: every list here is checked on the agreements made here.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "app/demo_data.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/network/store/maturity_repo.hpp"
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

std::string describe(const Error& e) {
    std::string out = e.message_key;
    for (const auto& f : fields_of(e)) out += " " + f;
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::int64_t> ids_of(const std::vector<AssessmentSummary>& list) {
    std::vector<std::int64_t> out;
    for (const auto& s : list) out.push_back(s.id);
    return out;
}

// A transaction that counts its statements and the most parameters one of them binds: a
// statement's parameters are bounded (SQLite and PostgreSQL both cap them), so a read whose
// parameters grow with its rows fails once the data is large enough.
class Recording final : public Tx {
  public:
    explicit Recording(Tx& inner) : inner_(inner) {}
    std::vector<Row> query(std::string_view sql, const Params& params) override {
        note(params);
        return inner_.query(sql, params);
    }
    std::int64_t exec(std::string_view sql, const Params& params) override {
        note(params);
        return inner_.exec(sql, params);
    }
    void exec_script(std::string_view sql) override {
        ++statements;
        inner_.exec_script(sql);
    }
    void commit() override { inner_.commit(); }
    void rollback() override { inner_.rollback(); }
    Dialect dialect() const override { return inner_.dialect(); }
    TxMode mode() const override { return inner_.mode(); }
    void lock(std::string_view name) override { inner_.lock(name); }

    int statements = 0;
    std::size_t most_parameters = 0;

  private:
    void note(const Params& params) {
        ++statements;
        most_parameters = std::max(most_parameters, params.size());
    }
    Tx& inner_;
};

// "area" or the agreement's id, as the form posts it.
std::string subject_key(const MaturitySubject& s) {
    return s.agreement_id ? std::to_string(*s.agreement_id) : std::string("area");
}

}  // namespace

class MaturityStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), true));
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        coordinator_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        staff_ = testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid");
        analyst_ = testsupport::actor_of(*t_->db, "analyst@demo.arrimage.invalid");
        manager_ = testsupport::actor_of(*t_->db, "manager1@demo.arrimage.invalid");
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id});
        ASSERT_EQ(scalar("SELECT sda_id FROM organisations WHERE id = ?", {manager_.organisation_id}), sda_);
        today_ = date_of(clock_.now());
        add_other_area();
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

    // One request: the repository for `who` (nullopt: nobody signed in), in a write transaction
    // committed only when the operation succeeded, as the request pipeline rolls back a refused
    // or invalid write.
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        auto tx = t_->db->begin(TxMode::write);
        MaturityRepo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        auto out = f(repo);
        if (out.ok()) tx->commit();
        return out;
    }
    bool may_manage(const std::optional<d::Actor>& who) {
        auto tx = t_->db->begin(TxMode::read);
        return MaturityRepo(testsupport::AccessForTests::as(*tx, clock_, who, "test")).may_manage();
    }

    std::string day(int n) const { return add_days(today_, n).iso(); }

    // An agreement of `sda` made as the fixture needs it (its lifecycle is the agreements
    // feature's, tested there): `reference` orders the partnerships.
    std::int64_t agreement(std::int64_t sda, const std::string& kind, const std::string& status, const std::string& reference) {
        const std::string now = format_iso(clock_.now());
        auto tx = t_->db->begin(TxMode::write);
        const auto row = tx->query_one(
            "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, summary, effective_on, expires_on, review_due, "
            "status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, '', ?, ?, 1, ?, ?) RETURNING id",
            {sda, reference, "Partenariat " + reference, "Partnership " + reference, kind, day(-100), day(60), status, now, now});
        tx->commit();
        return row->i64(0);
    }

    // An assessment of `subject` on `on` with these levels (ranks, in the catalogue's order) and
    // the first `held` marks held, each with its evidence.
    d::AssessmentForm form(const std::string& subject, const std::vector<int>& levels, std::size_t held,
                           const std::string& on) const {
        d::AssessmentForm f;
        f.assessed_on = on;
        f.subject = subject;
        const auto& dimensions = d::all_maturity_dimensions();
        for (std::size_t i = 0; i < dimensions.size(); ++i)
            f.answers.push_back({i < levels.size() ? std::to_string(levels[i]) : std::string(),
                                 "Constat : " + std::string(d::code(dimensions[i]))});
        const auto& marks = d::all_integration_marks();
        for (std::size_t i = 0; i < marks.size(); ++i)
            f.marks.push_back({i < held ? "1" : "", i < held ? "Preuve : " + std::string(d::code(marks[i])) : ""});
        f.summary = "Les partenaires se rencontrent chaque mois.";
        return f;
    }
    d::AssessmentForm form(const std::string& subject = "area") const { return form(subject, {2, 3, 3, 2, 1, 4}, 1, day(-1)); }

    std::int64_t create(const d::AssessmentForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](MaturityRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << (id ? "" : describe(id.error()));
        return id ? *id : 0;
    }
    std::int64_t assessments_written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM maturity_assessments) + (SELECT COUNT(*) FROM maturity_answers) + "
            "(SELECT COUNT(*) FROM maturity_marks)");
    }

    // Another area with its own coordinating agency and administrator, and a provider and its manager.
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
        const auto agency = *ids.create_organisation(o, 0);
        o.name_fr = "Fournisseur Autre";
        o.name_en = "Other Provider";
        o.csp_roles = {d::CspRole::csp_provider};
        const auto provider = *ids.create_organisation(o, 0);
        const auto admin = *ids.create_user({"other.admin@example.org", "Olive Autre-Admin", Lang::fr}, 0);
        ASSERT_TRUE(ids.add_membership(admin, {agency, d::Role::ca_admin}, 0));
        const auto manager = *ids.create_user({"other.manager@example.org", "Oscar Autre-Gestion", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(manager, {provider, d::Role::provider_manager}, 0));
        tx->commit();
        other_admin_ = {admin, agency, d::Role::ca_admin};
        other_manager_ = {manager, provider, d::Role::provider_manager};
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    Date today_;
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, coordinator_, staff_, analyst_, manager_, other_admin_, other_manager_;
    std::int64_t sda_ = 0, other_sda_ = 0;
};

TEST_F(MaturityStore, AnAdministratorRecordsAnAreaAssessmentWithItsRanksMarksScoreAndStage) {
    const auto before = assessments_written();
    auto f = form();
    f.answers[2].level = "coordination";  // a code is as good as its rank
    const auto id = create(f);
    ASSERT_GT(id, 0);
    EXPECT_EQ(assessments_written(), before + 1 + 6 + 4) << "the assessment, six answers, four marks";
    EXPECT_EQ(scalar("SELECT sda_id FROM maturity_assessments WHERE id = ?", {id}), sda_);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM maturity_assessments WHERE id = ? AND agreement_id IS NULL", {id}), 1);
    EXPECT_EQ(text("SELECT assessed_on FROM maturity_assessments WHERE id = ?", {id}), day(-1));
    EXPECT_EQ(scalar("SELECT score_tenths FROM maturity_assessments WHERE id = ?", {id}), 25) << "(2+3+3+2+1+4)/6 = 2.5";
    EXPECT_EQ(text("SELECT stage FROM maturity_assessments WHERE id = ?", {id}), "cooperation");
    EXPECT_EQ(scalar("SELECT created_by FROM maturity_assessments WHERE id = ?", {id}), admin_.user_id);
    EXPECT_EQ(texts("SELECT dimension || '=' || level FROM maturity_answers WHERE assessment_id = ? ORDER BY dimension", {id}),
              (std::vector<std::string>{"clientele=4", "entry_points=2", "equipment=1", "funding=2", "information_exchange=3",
                                        "management=3"}))
        << "levels stored as ranks";
    EXPECT_EQ(texts("SELECT mark FROM maturity_marks WHERE assessment_id = ? AND held = 1", {id}),
              std::vector<std::string>{"multidisciplinary_teams"});
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM maturity_marks WHERE assessment_id = ? AND held = 0", {id}), 3);

    auto record = as(admin_, [&](MaturityRepo& r) { return r.assessment(id); });
    ASSERT_TRUE(record) << describe(record.error());
    const auto& s = record->summary;
    EXPECT_EQ(s.id, id);
    EXPECT_EQ(s.subject.sda_id, sda_);
    EXPECT_EQ(s.subject.area_en, "Demo East Region");
    EXPECT_FALSE(s.subject.area_fr.empty());
    EXPECT_FALSE(s.subject.agreement_id);
    EXPECT_EQ(s.subject.reference, "");
    EXPECT_EQ(s.subject.title_en, "");
    EXPECT_EQ(s.assessed_on, day(-1));
    EXPECT_EQ(s.score.tenths, 25);
    EXPECT_EQ(s.score.stage, d::MaturityLevel::cooperation);
    EXPECT_EQ(s.score.marks_held, 1);
    EXPECT_EQ(s.recorded_by, "Claude Admin-Démo");
    using L = d::MaturityLevel;
    EXPECT_EQ(s.levels, (std::vector<L>{L::cooperation, L::coordination, L::coordination, L::cooperation, L::fragmented,
                                        L::collaboration}));
    const auto& a = record->assessment;
    EXPECT_EQ(a.assessed_on.iso(), day(-1));
    EXPECT_FALSE(a.agreement_id);
    ASSERT_EQ(a.answers.size(), d::all_maturity_dimensions().size());
    for (std::size_t i = 0; i < a.answers.size(); ++i) {
        EXPECT_EQ(a.answers[i].dimension, d::all_maturity_dimensions()[i]);
        EXPECT_EQ(a.answers[i].level, s.levels[i]);
        EXPECT_EQ(a.answers[i].evidence, "Constat : " + std::string(d::code(a.answers[i].dimension)));
    }
    ASSERT_EQ(a.marks.size(), d::all_integration_marks().size());
    EXPECT_EQ(a.marks[0].mark, d::IntegrationMark::multidisciplinary_teams);
    EXPECT_TRUE(a.marks[0].held);
    EXPECT_EQ(a.marks[0].evidence, "Preuve : multidisciplinary_teams");
    for (std::size_t i = 1; i < a.marks.size(); ++i) {
        EXPECT_EQ(a.marks[i].mark, d::all_integration_marks()[i]);
        EXPECT_FALSE(a.marks[i].held);
    }
    EXPECT_EQ(a.summary, "Les partenaires se rencontrent chaque mois.");
    EXPECT_FALSE(record->created_at.empty());
    // The demo's own assessments of the area come before it.
    ASSERT_TRUE(record->previous);
    EXPECT_NE(*record->previous, id);
}

TEST_F(MaturityStore, APartnershipAssessmentKeepsItsAgreementAndAnIntegratedStageNeedsEveryMark) {
    const auto partnership = agreement(sda_, "partnership", "active", "TST-0001");
    const auto id = create(form(std::to_string(partnership), {5, 5, 5, 5, 5, 5}, 4, day(0)));
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar("SELECT agreement_id FROM maturity_assessments WHERE id = ?", {id}), partnership);
    EXPECT_EQ(scalar("SELECT sda_id FROM maturity_assessments WHERE id = ?", {id}), sda_);
    auto record = as(admin_, [&](MaturityRepo& r) { return r.assessment(id); });
    ASSERT_TRUE(record) << describe(record.error());
    EXPECT_EQ(record->summary.subject.agreement_id, partnership);
    EXPECT_EQ(record->summary.subject.reference, "TST-0001");
    EXPECT_EQ(record->summary.subject.title_fr, "Partenariat TST-0001");
    EXPECT_EQ(record->summary.subject.title_en, "Partnership TST-0001");
    EXPECT_EQ(record->summary.subject.area_en, "Demo East Region");
    EXPECT_EQ(record->assessment.agreement_id, partnership);
    EXPECT_EQ(record->summary.score.tenths, 50);
    EXPECT_EQ(record->summary.score.stage, d::MaturityLevel::integrated);
    EXPECT_EQ(record->summary.score.marks_held, 4);

    // Every level integrated but one mark missing: collaboration at most, kept so.
    const auto short_of = create(form(std::to_string(partnership), {5, 5, 5, 5, 5, 5}, 3, day(0)));
    EXPECT_EQ(scalar("SELECT score_tenths FROM maturity_assessments WHERE id = ?", {short_of}), 50);
    EXPECT_EQ(text("SELECT stage FROM maturity_assessments WHERE id = ?", {short_of}), "collaboration");

    // A partnership not yet in force, or under review, may be assessed too.
    for (const std::string status : {"draft", "under_review", "renewed"}) {
        SCOPED_TRACE(status);
        const auto other = agreement(sda_, "partnership", status, "TST-" + status);
        EXPECT_GT(create(form(std::to_string(other))), 0);
    }
}

TEST_F(MaturityStore, ASubjectThatIsNotOneOfTheAreasAssessablePartnershipsWritesNothing) {
    const auto theirs = agreement(other_sda_, "partnership", "active", "TST-0001");
    const auto provider = agreement(sda_, "csp_provider", "active", "TST-0002");
    const auto participant = agreement(sda_, "csp_participant", "active", "TST-0003");
    const auto terminated = agreement(sda_, "partnership", "terminated", "TST-0004");
    const auto expired = agreement(sda_, "partnership", "expired", "TST-0005");
    const auto ours = agreement(sda_, "partnership", "active", "TST-0006");
    const auto snap = snapshot();
    auto refused = [&](const d::Actor& who, std::int64_t subject) {
        auto r = as(who, [&](MaturityRepo& repo) { return repo.create(form(std::to_string(subject))); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    const std::vector<std::string> not_a_choice = {"subject:field.choose_from_list"};
    for (const auto subject : {theirs, provider, participant, terminated, expired, std::int64_t{999999999}}) {
        SCOPED_TRACE(subject);
        EXPECT_EQ(refused(admin_, subject), not_a_choice);
    }
    // Another area's administrator cannot assess this area's partnership either.
    EXPECT_EQ(refused(other_admin_, ours), not_a_choice);
    // Told with the form's other errors, in one round rather than after they are put right.
    auto f = form(std::to_string(theirs));
    f.assessed_on = day(1);
    f.answers[0].level = "";
    f.marks[2] = {"", "Typed for a mark not ticked."};
    auto together = as(admin_, [&](MaturityRepo& repo) { return repo.create(f); });
    ASSERT_FALSE(together);
    EXPECT_EQ(together.error().code, Errc::Invalid);
    EXPECT_EQ(fields_of(together.error()),
              (std::vector<std::string>{
                  "assessed_on:network.maturity.assessed_in_future", "level_entry_points:network.maturity.level_required",
                  "mark_evidence_consumer_focused:network.maturity.mark_evidence_unchecked", "subject:field.choose_from_list"}));
    // A subject that is no id at all has its one error, not two.
    f.subject = "TST-0001";
    auto unreadable = as(admin_, [&](MaturityRepo& repo) { return repo.create(f); });
    ASSERT_FALSE(unreadable);
    const auto unreadable_fields = fields_of(unreadable.error());
    EXPECT_EQ(std::count(unreadable_fields.begin(), unreadable_fields.end(), std::string("subject:field.choose_from_list")), 1)
        << describe(unreadable.error());
    // One of the area's own partnerships: only the form's errors.
    f.subject = std::to_string(ours);
    auto own = as(admin_, [&](MaturityRepo& repo) { return repo.create(f); });
    ASSERT_FALSE(own);
    EXPECT_FALSE(has(fields_of(own.error()), "subject:field.choose_from_list")) << describe(own.error());
    EXPECT_EQ(snapshot(), snap);
    // Each administrator assesses their own.
    EXPECT_GT(create(form(std::to_string(ours))), 0);
    EXPECT_GT(create(form(std::to_string(theirs)), &other_admin_), 0);
}

TEST_F(MaturityStore, FieldErrorsWriteNothing) {
    const auto snap = snapshot();
    auto refused = [&](const d::AssessmentForm& f) {
        auto r = as(admin_, [&](MaturityRepo& repo) { return repo.create(f); });
        EXPECT_FALSE(r);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, Errc::Invalid);
        return fields_of(r.error());
    };
    auto f = form();
    f.assessed_on = day(1);
    EXPECT_TRUE(has(refused(f), "assessed_on:network.maturity.assessed_in_future"));
    f = form();
    f.assessed_on = "2026-02-30";
    EXPECT_TRUE(has(refused(f), "assessed_on:people.invalid_date"));
    f = form();
    f.subject = "";
    EXPECT_TRUE(has(refused(f), "subject:field.required"));
    f = form();
    f.subject = "the whole region";
    EXPECT_TRUE(has(refused(f), "subject:field.choose_from_list"));
    f = form();
    f.answers[0].level = "";
    f.answers[1].level = "7";
    f.answers[2].evidence = "  ";
    auto errors = refused(f);
    EXPECT_TRUE(has(errors, "level_entry_points:network.maturity.level_required"));
    EXPECT_TRUE(has(errors, "level_information_exchange:field.choose_from_list"));
    EXPECT_TRUE(has(errors, "evidence_management:network.maturity.evidence_required"));
    f = form();
    f.answers.pop_back();
    EXPECT_TRUE(has(refused(f), "level_clientele:network.maturity.level_required")) << "a missing answer";
    f = form();
    f.marks[1] = {"1", ""};
    EXPECT_TRUE(has(refused(f), "mark_evidence_collective_decision_body:network.maturity.mark_evidence_required"));
    f = form();
    f.marks[3] = {"", "Typed, then the box unticked."};
    EXPECT_EQ(refused(f), std::vector<std::string>{"mark_evidence_formal_agreements:network.maturity.mark_evidence_unchecked"})
        << "not silently dropped";
    f = form();
    f.summary = std::string(d::max_assessment_summary_length + 1, 'x');
    EXPECT_TRUE(has(refused(f), "summary:field.too_long"));
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(MaturityStore, ListsAreReadInTheSameStatementsWhateverTheNumberOfAssessments) {
    struct Cost {
        int statements = 0;
        std::size_t most_parameters = 0;
        std::size_t rows = 0;
    };
    // What one read costs, the access context's own statements aside.
    auto cost = [&](const d::Actor& who, auto read) {
        auto tx = t_->db->begin(TxMode::read);
        Recording recording(*tx);
        MaturityRepo repo(testsupport::AccessForTests::as(recording, clock_, who, "test"));
        recording.statements = 0;
        recording.most_parameters = 0;
        auto r = read(repo);
        EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
        return Cost{recording.statements, recording.most_parameters, r ? r->size() : 0};
    };
    auto subjects = [](MaturityRepo& r) { return r.subjects(); };
    auto history = [&](MaturityRepo& r) { return r.history(other_sda_, std::nullopt); };
    std::vector<std::int64_t> partnerships;
    for (int i = 0; i < 30; ++i)
        partnerships.push_back(agreement(other_sda_, "partnership", "active", "TST-" + std::to_string(1000 + i)));
    create(form("area", {2, 2, 2, 2, 2, 2}, 0, day(-60)), &other_admin_);
    create(form(std::to_string(partnerships[0]), {2, 2, 2, 2, 2, 2}, 0, day(-60)), &other_admin_);
    const auto few_subjects = cost(analyst_, subjects);
    const auto few_assessments = cost(other_manager_, history);
    ASSERT_EQ(few_assessments.rows, 1u);

    for (int i = 0; i < 30; ++i) {
        create(form("area", {3, 3, 3, 3, 3, 3}, 1, day(-50 + i)), &other_admin_);
        create(form(std::to_string(partnerships[i]), {3, 3, 3, 3, 3, 3}, 1, day(-50 + i)), &other_admin_);
    }
    const auto many_subjects = cost(analyst_, subjects);
    const auto many_assessments = cost(other_manager_, history);
    EXPECT_EQ(many_subjects.rows, few_subjects.rows + 29);
    EXPECT_EQ(many_assessments.rows, 31u);
    EXPECT_EQ(many_subjects.statements, few_subjects.statements);
    EXPECT_EQ(many_subjects.most_parameters, few_subjects.most_parameters) << "no list of ids";
    EXPECT_EQ(many_assessments.statements, few_assessments.statements);
    EXPECT_EQ(many_assessments.most_parameters, few_assessments.most_parameters) << "no list of ids";
    // Each still with its levels.
    auto read = as(other_manager_, [&](MaturityRepo& r) { return r.history(other_sda_, std::nullopt); });
    ASSERT_TRUE(read);
    EXPECT_EQ(read->front().levels, std::vector<d::MaturityLevel>(6, d::MaturityLevel::cooperation));
    EXPECT_EQ(read->back().levels, std::vector<d::MaturityLevel>(6, d::MaturityLevel::coordination));
    auto all = as(analyst_, [](MaturityRepo& r) { return r.subjects(); });
    ASSERT_TRUE(all);
    for (const auto& o : *all) {
        ASSERT_TRUE(o.latest);
        EXPECT_EQ(o.latest->levels.size(), d::all_maturity_dimensions().size());
        if (o.subject.sda_id == other_sda_) {
            EXPECT_EQ(o.latest->levels, std::vector<d::MaturityLevel>(6, d::MaturityLevel::coordination));
        }
    }
}

TEST_F(MaturityStore, TheAreasReadersSeeItsAssessmentsAnotherAreasFindNothingAndOthersAreRefused) {
    const auto partnership = agreement(sda_, "partnership", "active", "TST-0001");
    const auto provider = agreement(sda_, "csp_provider", "active", "TST-0002");
    const auto other_partnership = agreement(other_sda_, "partnership", "active", "TST-0003");
    const auto fresh = agreement(sda_, "partnership", "active", "TST-0004");
    const auto area = create(form());
    const auto shared = create(form(std::to_string(partnership)));
    const auto theirs = create(form(), &other_admin_);
    ASSERT_TRUE(area && shared && theirs);
    const auto snap = snapshot();
    auto contains = [](const std::vector<AssessmentSummary>& list, std::int64_t id) {
        return std::any_of(list.begin(), list.end(), [&](const AssessmentSummary& s) { return s.id == id; });
    };

    auto assessment = [&](const std::optional<d::Actor>& who, std::int64_t id) {
        return as(who, [&](MaturityRepo& r) { return r.assessment(id); });
    };
    auto history = [&](const std::optional<d::Actor>& who, std::int64_t sda, std::optional<std::int64_t> agreement) {
        return as(who, [&](MaturityRepo& r) { return r.history(sda, agreement); });
    };

    // The area's administrator and provider manager, and the analyst, read this area's.
    for (const auto& who : {admin_, manager_, analyst_}) {
        SCOPED_TRACE(d::code(who.role));
        for (const auto id : {area, shared}) {
            auto r = assessment(who, id);
            ASSERT_TRUE(r) << describe(r.error());
            EXPECT_EQ(r->summary.id, id);
        }
        auto h = history(who, sda_, std::nullopt);
        ASSERT_TRUE(h) << describe(h.error());
        EXPECT_TRUE(contains(*h, area));
        EXPECT_FALSE(contains(*h, shared)) << "the partnership's is its own history";
        EXPECT_FALSE(contains(*h, theirs));
        auto p = history(who, sda_, partnership);
        ASSERT_TRUE(p) << describe(p.error());
        EXPECT_EQ(ids_of(*p), std::vector<std::int64_t>{shared});
    }
    // Only the analyst reads the other area's too.
    auto other = assessment(analyst_, theirs);
    ASSERT_TRUE(other) << describe(other.error());
    EXPECT_EQ(other->summary.subject.area_en, "Other area");
    EXPECT_EQ(other->summary.recorded_by, "Olive Autre-Admin");
    EXPECT_EQ(ids_of(history(analyst_, other_sda_, std::nullopt).value()), std::vector<std::int64_t>{theirs});
    EXPECT_EQ(ids_of(history(other_manager_, other_sda_, std::nullopt).value()), std::vector<std::int64_t>{theirs});

    // Another area's readers: not found, the assessment as the history.
    for (const auto& who : {other_admin_, other_manager_}) {
        SCOPED_TRACE(d::code(who.role));
        EXPECT_EQ(assessment(who, area).error().code, Errc::NotFound);
        EXPECT_EQ(assessment(who, shared).error().code, Errc::NotFound);
        EXPECT_EQ(history(who, sda_, std::nullopt).error().code, Errc::NotFound);
        EXPECT_EQ(history(who, sda_, partnership).error().code, Errc::NotFound);
    }
    EXPECT_EQ(assessment(admin_, theirs).error().code, Errc::NotFound);
    EXPECT_EQ(assessment(manager_, theirs).error().code, Errc::NotFound);
    EXPECT_EQ(assessment(analyst_, theirs + shared + area).error().code, Errc::NotFound) << "no such assessment";

    // Not one of the area's partnerships, no such area: not found; one not assessed yet: empty.
    EXPECT_EQ(history(admin_, sda_, provider).error().code, Errc::NotFound);
    EXPECT_EQ(history(analyst_, sda_, other_partnership).error().code, Errc::NotFound);
    EXPECT_EQ(history(analyst_, sda_, 999999999).error().code, Errc::NotFound);
    EXPECT_EQ(history(analyst_, 999999999, std::nullopt).error().code, Errc::NotFound);
    auto none = history(manager_, sda_, fresh);
    ASSERT_TRUE(none) << describe(none.error());
    EXPECT_TRUE(none->empty());

    // Whoever reads no area's: refused, whatever the record.
    const std::vector<std::optional<d::Actor>> refused = {
        coordinator_,
        staff_,
        testsupport::actor_of(*t_->db, "privacy@demo.arrimage.invalid"),
        testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid"),
        std::nullopt,
    };
    for (const auto& who : refused) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(assessment(who, area).error().code, Errc::Forbidden);
        EXPECT_EQ(assessment(who, theirs + shared + area).error().code, Errc::Forbidden);
        EXPECT_EQ(history(who, sda_, std::nullopt).error().code, Errc::Forbidden);
        EXPECT_EQ(history(who, sda_, partnership).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](MaturityRepo& r) { return r.subjects(); }).error().code, Errc::Forbidden);
    }
    // Only an administrator records one.
    for (const auto& who : std::vector<std::optional<d::Actor>>{manager_, analyst_, coordinator_, staff_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](MaturityRepo& r) { return r.create(form()); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(snapshot(), snap);
}

TEST_F(MaturityStore, HistoryIsInDateThenIdOrderAndEachAssessmentKnowsThePreviousOneOfItsSubject) {
    // Recorded out of order, two on one day; the area's partnership assessed in between.
    const auto partnership = agreement(other_sda_, "partnership", "active", "TST-0001");
    const auto a = create(form("area", {3, 3, 3, 3, 3, 3}, 0, day(-10)), &other_admin_);
    const auto b = create(form("area", {1, 1, 1, 1, 1, 1}, 0, day(-30)), &other_admin_);
    const auto c = create(form("area", {4, 4, 4, 4, 4, 4}, 0, day(-10)), &other_admin_);
    const auto p = create(form(std::to_string(partnership), {2, 2, 2, 2, 2, 2}, 0, day(-25)), &other_admin_);
    const auto e = create(form("area", {2, 2, 2, 2, 2, 2}, 0, day(-20)), &other_admin_);
    ASSERT_TRUE(a && b && c && p && e);

    auto history = as(other_manager_, [&](MaturityRepo& r) { return r.history(other_sda_, std::nullopt); });
    ASSERT_TRUE(history) << describe(history.error());
    EXPECT_EQ(ids_of(*history), (std::vector<std::int64_t>{b, e, a, c}));
    EXPECT_EQ((*history)[0].assessed_on, day(-30));
    EXPECT_EQ((*history)[0].score.tenths, 10);
    EXPECT_EQ((*history)[3].score.tenths, 40);
    EXPECT_EQ((*history)[3].levels, std::vector<d::MaturityLevel>(6, d::MaturityLevel::collaboration));
    EXPECT_EQ((*history)[3].recorded_by, "Olive Autre-Admin");
    EXPECT_FALSE((*history)[0].subject.agreement_id);
    auto of_partnership = as(analyst_, [&](MaturityRepo& r) { return r.history(other_sda_, partnership); });
    ASSERT_TRUE(of_partnership);
    EXPECT_EQ(ids_of(*of_partnership), std::vector<std::int64_t>{p});
    EXPECT_EQ((*of_partnership)[0].subject.reference, "TST-0001");

    auto previous = [&](std::int64_t id) {
        auto r = as(other_admin_, [&](MaturityRepo& repo) { return repo.assessment(id); });
        EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
        return r ? r->previous : std::optional<std::int64_t>{-1};
    };
    EXPECT_EQ(previous(b), std::nullopt);
    EXPECT_EQ(previous(e), b) << "not the partnership's, assessed in between";
    EXPECT_EQ(previous(a), e);
    EXPECT_EQ(previous(c), a) << "the same day: by id";
    EXPECT_EQ(previous(p), std::nullopt);

    // The partnership ended: its history stays readable.
    exec("UPDATE agreements SET status = 'terminated' WHERE id = ?", {partnership});
    auto kept = as(other_manager_, [&](MaturityRepo& r) { return r.history(other_sda_, partnership); });
    ASSERT_TRUE(kept) << describe(kept.error());
    EXPECT_EQ(ids_of(*kept), std::vector<std::int64_t>{p});
}

TEST_F(MaturityStore, SubjectsListWhatEachReaderSeesWithCountsAndLatest) {
    // The other area: the administrator sees the area and its partnerships in force before any
    // assessment, by reference; not a draft, a closed one or another kind.
    const auto second = agreement(other_sda_, "partnership", "active", "TST-0002");
    const auto first = agreement(other_sda_, "partnership", "under_review", "TST-0001");
    const auto draft = agreement(other_sda_, "partnership", "draft", "TST-0003");
    agreement(other_sda_, "partnership", "terminated", "TST-0004");
    agreement(other_sda_, "csp_provider", "active", "TST-0005");
    auto keys = [](const std::vector<SubjectOverview>& list, std::int64_t sda) {
        std::vector<std::string> out;
        for (const auto& o : list)
            if (o.subject.sda_id == sda) out.push_back(subject_key(o.subject) + ":" + std::to_string(o.assessments));
        return out;
    };
    auto subjects = [&](const d::Actor& who) {
        auto r = as(who, [&](MaturityRepo& repo) { return repo.subjects(); });
        EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
        return r ? *r : std::vector<SubjectOverview>{};
    };
    const auto s1 = std::to_string(first), s2 = std::to_string(second), s3 = std::to_string(draft);
    auto start = subjects(other_admin_);
    // Before any assessment their own area alone: partnerships not yet assessed are the form's
    // choices (a large area has thousands).
    EXPECT_EQ(keys(start, other_sda_), (std::vector<std::string>{"area:0"}));
    EXPECT_FALSE(start[0].latest);
    EXPECT_EQ(start[0].subject.area_en, "Other area");
    const auto offered = as(other_admin_, [&](MaturityRepo& r) { return r.subject_choices(); });
    ASSERT_TRUE(offered);
    std::vector<std::string> offered_keys;
    for (const auto& c : *offered) offered_keys.push_back(subject_key(c));
    EXPECT_EQ(offered_keys, (std::vector<std::string>{"area", s1, s2, s3})) << "the form offers every open partnership";
    EXPECT_EQ(keys(start, sda_), std::vector<std::string>{}) << "only their own area";
    EXPECT_TRUE(keys(subjects(other_manager_), other_sda_).empty()) << "a reader sees only what has assessments";
    EXPECT_TRUE(keys(subjects(analyst_), other_sda_).empty());

    // Assessed: counts and the latest by date then id; a draft once assessed is listed.
    const auto old = create(form("area", {1, 1, 1, 1, 1, 1}, 0, day(-40)), &other_admin_);
    const auto latest = create(form("area", {3, 3, 3, 3, 3, 4}, 2, day(-5)), &other_admin_);
    const auto earlier = create(form("area", {2, 2, 2, 2, 2, 2}, 0, day(-20)), &other_admin_);
    const auto of_second = create(form(s2, {2, 2, 2, 2, 2, 2}, 0, day(-3)), &other_admin_);
    const auto of_draft = create(form(s3, {2, 2, 2, 2, 2, 2}, 0, day(-3)), &other_admin_);
    const auto ours = create(form("area", {2, 2, 2, 2, 2, 2}, 0, day(0)));  // the demo area's, its latest
    ASSERT_TRUE(old && latest && earlier && of_second && of_draft && ours);

    auto after = subjects(other_admin_);
    EXPECT_EQ(keys(after, other_sda_), (std::vector<std::string>{"area:3", s2 + ":1", s3 + ":1"}));
    ASSERT_TRUE(after[0].latest);
    EXPECT_EQ(after[0].latest->id, latest);
    EXPECT_EQ(after[0].latest->assessed_on, day(-5));
    EXPECT_EQ(after[0].latest->score.tenths, 32);
    EXPECT_EQ(after[0].latest->score.marks_held, 2);
    EXPECT_EQ(after[0].latest->levels.size(), 6u);
    EXPECT_EQ(after[0].latest->levels.back(), d::MaturityLevel::collaboration);
    ASSERT_TRUE(after[1].latest);
    EXPECT_EQ(after[1].latest->id, of_second);
    EXPECT_EQ(after[1].subject.title_en, "Partnership TST-0002");
    ASSERT_TRUE(after[2].latest);
    EXPECT_EQ(after[2].latest->id, of_draft);

    // The area's manager sees those with assessments; the analyst every area's, by area.
    EXPECT_EQ(keys(subjects(other_manager_), other_sda_), (std::vector<std::string>{"area:3", s2 + ":1", s3 + ":1"}));
    EXPECT_TRUE(keys(subjects(other_manager_), sda_).empty());
    const auto all = subjects(analyst_);
    EXPECT_EQ(keys(all, other_sda_), (std::vector<std::string>{"area:3", s2 + ":1", s3 + ":1"}));
    const auto demo_area = keys(all, sda_);
    ASSERT_FALSE(demo_area.empty());
    EXPECT_EQ(demo_area.front().substr(0, 5), "area:");
    const auto position = [&](std::int64_t sda) {
        return std::find_if(all.begin(), all.end(), [&](const SubjectOverview& o) { return o.subject.sda_id == sda; }) -
               all.begin();
    };
    EXPECT_LT(position(sda_), position(other_sda_)) << "Demo East Region before Other area";
    for (const auto& o : all) EXPECT_GT(o.assessments, 0);

    // The demo area's administrator: its area with the one made here among its latest.
    const auto mine = subjects(admin_);
    ASSERT_FALSE(mine.empty());
    EXPECT_EQ(mine[0].subject.sda_id, sda_);
    EXPECT_FALSE(mine[0].subject.agreement_id);
    ASSERT_TRUE(mine[0].latest);
    EXPECT_EQ(mine[0].latest->id, ours);
    for (const auto& o : mine) EXPECT_EQ(o.subject.sda_id, sda_);
}

TEST_F(MaturityStore, TheFormOffersAnAdministratorTheAreaAndItsPartnershipsNotExpiredOrTerminated) {
    const auto renewed = agreement(other_sda_, "partnership", "renewed", "TST-0004");
    const auto draft = agreement(other_sda_, "partnership", "draft", "TST-0001");
    const auto active = agreement(other_sda_, "partnership", "active", "TST-0002");
    const auto review = agreement(other_sda_, "partnership", "under_review", "TST-0003");
    agreement(other_sda_, "partnership", "expired", "TST-0005");
    agreement(other_sda_, "partnership", "terminated", "TST-0006");
    agreement(other_sda_, "csp_provider", "active", "TST-0007");
    agreement(sda_, "partnership", "active", "TST-0008");

    auto choices = as(other_admin_, [&](MaturityRepo& r) { return r.subject_choices(); });
    ASSERT_TRUE(choices) << describe(choices.error());
    std::vector<std::string> keys;
    for (const auto& s : *choices) {
        EXPECT_EQ(s.sda_id, other_sda_);
        EXPECT_EQ(s.area_en, "Other area");
        keys.push_back(subject_key(s));
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"area", std::to_string(draft), std::to_string(active), std::to_string(review),
                                              std::to_string(renewed)}));
    EXPECT_EQ((*choices)[0].reference, "");
    EXPECT_EQ((*choices)[1].reference, "TST-0001");
    EXPECT_EQ((*choices)[1].title_fr, "Partenariat TST-0001");

    // The demo area's administrator: its own area first, never the other's.
    auto ours = as(admin_, [&](MaturityRepo& r) { return r.subject_choices(); });
    ASSERT_TRUE(ours);
    ASSERT_FALSE(ours->empty());
    EXPECT_EQ(subject_key(ours->front()), "area");
    for (const auto& s : *ours) EXPECT_EQ(s.sda_id, sda_);

    for (const auto& who : std::vector<std::optional<d::Actor>>{manager_, analyst_, coordinator_, staff_, std::nullopt}) {
        SCOPED_TRACE(who ? std::string(d::code(who->role)) : std::string("nobody"));
        EXPECT_EQ(as(who, [&](MaturityRepo& r) { return r.subject_choices(); }).error().code, Errc::Forbidden);
        EXPECT_FALSE(may_manage(who));
    }
    EXPECT_TRUE(may_manage(admin_));
    EXPECT_TRUE(may_manage(other_admin_));
}
