#include "features/intake/store/intake_repo.hpp"

#include <map>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"
#include "store/person_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

const LifecycleTables intake_tables{"intakes", "intake_events", "intake_id"};

std::string sectors_text(const std::vector<d::Sector>& sectors) {
    std::string out;
    for (auto s : sectors) out += (out.empty() ? "" : ",") + std::string(d::code(s));
    return out;
}

std::vector<d::Sector> sectors_of(const std::string& text) {
    std::vector<d::Sector> out;
    for (const auto& c : split_on(text, ','))
        if (auto s = d::parse_sector(c)) out.push_back(*s);
    return out;
}

Value opt_bool(const std::optional<bool>& b) {
    return b ? Value{std::int64_t{*b ? 1 : 0}} : Value{Null{}};
}

std::optional<Date> day_of(const std::optional<std::string>& iso) {
    if (!iso || iso->size() < 10) return std::nullopt;
    return parse_date(iso->substr(0, 10));
}

d::FileDates file_dates(const Row& r, int first) {
    d::FileDates dates;
    dates.opened = day_of(r.opt_str(first)).value_or(Date{1970, 1, 1});
    dates.decided = day_of(r.opt_str(first + 1));
    dates.assigned = day_of(r.opt_str(first + 2));
    dates.first_contact = day_of(r.opt_str(first + 3));
    // The first plan is done once the child's file has its plan (features/plan: plans.created_at).
    dates.first_plan = day_of(r.opt_str(first + 4));
    // Its next review counts from the plan's activation or latest review (plans.review_from),
    // while the plan is active or under review.
    dates.review_from = day_of(r.opt_str(first + 5));
    return dates;
}

// The place of intake `id`, waitlisted at `at`, on its agency's waitlist (1: next).
int waitlist_position(Tx& tx, std::int64_t agency_id, std::int64_t id, const std::string& at) {
    return static_cast<int>(
        tx.query_one("SELECT COUNT(*) FROM intakes WHERE coordinating_agency_id = ? AND status = 'waitlisted' "
                     "AND (waitlisted_at < ? OR (waitlisted_at = ? AND id <= ?))",
                     {agency_id, at, at, id})
            ->i64(0));
}

}  // namespace

// ---------------------------------------------------------------- the area's rules

d::AreaRules AreaRulesRepo::rules(std::int64_t sda_id) {
    d::AreaRules r;
    if (auto row = tx_.query_one("SELECT max_age, school_max_age, min_sectors, first_contact_days, intake_decision_days, "
                                 "first_plan_days, review_interval_days, caseload_limit, referral_answer_days, "
                                 "retention_years FROM area_rules WHERE sda_id = ?",
                                 {sda_id})) {
        r.max_age = static_cast<int>(row->i64(0));
        r.school_max_age = static_cast<int>(row->i64(1));
        r.min_sectors = static_cast<int>(row->i64(2));
        r.first_contact_days = static_cast<int>(row->i64(3));
        r.intake_decision_days = static_cast<int>(row->i64(4));
        r.first_plan_days = static_cast<int>(row->i64(5));
        r.review_interval_days = static_cast<int>(row->i64(6));
        r.caseload_limit = static_cast<int>(row->i64(7));
        r.referral_answer_days = static_cast<int>(row->i64(8));
        r.retention_years = static_cast<int>(row->i64(9));
    }
    for (const auto& c :
         tx_.query("SELECT id, text_fr, text_en FROM area_criteria WHERE sda_id = ? AND active = 1 ORDER BY id", {sda_id}))
        r.criteria.push_back({c.i64(0), c.str(1), c.str(2)});
    return r;
}

void AreaRulesRepo::save(std::int64_t sda_id, const d::AreaRules& r, std::int64_t user_id) {
    const Params values{std::int64_t{r.max_age},
                        std::int64_t{r.school_max_age},
                        std::int64_t{r.min_sectors},
                        std::int64_t{r.first_contact_days},
                        std::int64_t{r.intake_decision_days},
                        std::int64_t{r.first_plan_days},
                        std::int64_t{r.review_interval_days},
                        std::int64_t{r.caseload_limit},
                        std::int64_t{r.referral_answer_days},
                        std::int64_t{r.retention_years},
                        format_iso(clock_.now()),
                        user_id,
                        sda_id};
    if (tx_.exec("UPDATE area_rules SET max_age = ?, school_max_age = ?, min_sectors = ?, first_contact_days = ?, "
                 "intake_decision_days = ?, first_plan_days = ?, review_interval_days = ?, caseload_limit = ?, "
                 "referral_answer_days = ?, retention_years = ?, updated_at = ?, updated_by = ? WHERE sda_id = ?",
                 values) == 1)
        return;
    tx_.exec(
        "INSERT INTO area_rules (max_age, school_max_age, min_sectors, first_contact_days, intake_decision_days, "
        "first_plan_days, review_interval_days, caseload_limit, referral_answer_days, retention_years, updated_at, updated_by, "
        "sda_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values);
}

std::int64_t AreaRulesRepo::add_criterion(std::int64_t sda_id, const d::AreaCriterion& c, std::int64_t user_id) {
    return tx_
        .query_one(
            "INSERT INTO area_criteria (sda_id, text_fr, text_en, created_at, created_by) VALUES (?, ?, ?, ?, ?) "
            "RETURNING id",
            {sda_id, c.text_fr, c.text_en, format_iso(clock_.now()), user_id})
        ->i64(0);
}

bool AreaRulesRepo::retire_criterion(std::int64_t sda_id, std::int64_t criterion_id) {
    return tx_.exec("UPDATE area_criteria SET active = 0 WHERE id = ? AND sda_id = ? AND active = 1", {criterion_id, sda_id}) ==
           1;
}

// ---------------------------------------------------------------- intakes

IntakeRepo::IntakeRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::optional<IntakeRepo::Facts> IntakeRepo::facts(std::int64_t id) {
    auto r = ctx_.tx.query_one(
        "SELECT i.id, i.referral_id, i.sda_id, i.coordinating_agency_id, i.status, r.person_id, i.version, r.date_of_birth "
        "FROM intakes i JOIN referrals r ON r.id = i.referral_id WHERE i.id = ?",
        {id});
    if (!r) return std::nullopt;
    // A status the table does not know is corrupt data: an error, never a default.
    const auto status = d::parse_intake_status(r->str(4));
    if (!status) throw std::runtime_error("intake " + std::to_string(id) + " has an unknown status");
    Facts f{r->i64(0), r->i64(1), r->i64(2), r->i64(3), *status, r->opt_i64(5), static_cast<int>(r->i64(6)), r->str(7)};
    f.rel = relationship(f.agency_id);
    // Someone outside the agency reaches the intake only as the file's assigned coordinator.
    if (f.rel == d::Relationship::none && ctx_.actor && f.person_id) {
        auto file = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, *f.person_id);
        if (file && file->relationship == d::Relationship::assigned_coordinator) {
            f.rel = d::Relationship::assigned_coordinator;
            f.file = std::move(file);
        }
    }
    return f;
}

// The organisation that received the referral runs its intake.
d::Relationship IntakeRepo::relationship(std::int64_t agency_id) const {
    if (!ctx_.actor || ctx_.actor->organisation_id != agency_id) return d::Relationship::none;
    return ctx_.actor->role == d::Role::privacy_officer ? d::Relationship::privacy_officer : d::Relationship::coordinating_agency;
}

d::Decision IntakeRepo::decide_access(const Facts& f, d::Action a, d::Category c, Record how) {
    if (f.file) return guard_.decide(f.file->request(c, a), {f.person_id, f.referral_id}, how);
    d::AccessRequest q;
    q.relationship = f.rel;
    q.category = c;
    q.purpose = purpose_for(q.relationship);
    q.action = a;
    return guard_.decide(q, {f.person_id, f.referral_id}, how);
}

Result<IntakeRepo::Facts> IntakeRepo::allowed(std::int64_t id, d::Action a, d::Category c) {
    auto f = facts(id);
    if (!f) {
        // Nothing to decide about: a refusal without a relationship, audited as such.
        d::AccessRequest q;
        q.action = a;
        q.category = c;
        q.purpose = d::Purpose::referral;
        guard_.decide(q);
        return guard_.refuse(d::Relationship::none);
    }
    if (!decide_access(*f, a, c).permitted()) return guard_.refuse(f->rel);
    return *f;
}

Result<IntakeRepo::Facts> IntakeRepo::for_update(std::int64_t id, int version) {
    if (!ctx_.actor) return Error::forbidden();
    auto f = allowed(id, d::Action::update, d::Category::assessments_reports);
    if (!f) return f.error();
    if (f->version != version) return Error::conflict("intake.error.stale");
    return f;
}

Result<std::int64_t> IntakeRepo::open(std::int64_t referral_id) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        if (!ctx_.actor) return Error::forbidden();
        auto r =
            ctx_.tx.query_one("SELECT sda_id, organisation_id, status, person_id FROM referrals WHERE id = ?", {referral_id});
        Facts f;
        f.referral_id = referral_id;
        if (r) {
            f.sda_id = r->i64(0);
            f.agency_id = r->i64(1);
            f.person_id = r->opt_i64(3);
            f.rel = relationship(f.agency_id);
        }
        if (!decide_access(f, d::Action::create, d::Category::assessments_reports).permitted())
            return guard_.refuse(r ? relationship(f.agency_id) : d::Relationship::none);
        if (auto existing = ctx_.tx.query_one("SELECT id FROM intakes WHERE referral_id = ?", {referral_id}))
            return existing->i64(0);
        if (r->str(2) != "accepted") return Error::conflict("intake.error.referral_not_accepted");
        const std::string at = format_iso(ctx_.clock.now());
        const std::int64_t id =
            ctx_.tx
                .query_one(
                    "INSERT INTO intakes (sda_id, coordinating_agency_id, referral_id, status, opened_at, opened_by, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {f.sda_id, f.agency_id, referral_id, std::string(d::code(d::IntakeStatus::in_intake)), at,
                     ctx_.actor->user_id, at})
                ->i64(0);
        ctx_.tx.exec("INSERT INTO intake_events (intake_id, at, user_id, event, status) VALUES (?, ?, ?, 'open', ?)",
                     {id, at, ctx_.actor->user_id, std::string(d::code(d::IntakeStatus::in_intake))});
        if (f.person_id) carry_story(id, *f.person_id, f.agency_id, at);
        return id;
    });
}

std::optional<IntakeRepo::FileStory> IntakeRepo::story_of_file(std::int64_t person_id) {
    return guard_.operation([&]() -> std::optional<FileStory> {
        auto latest = ctx_.tx.query_one(
            "SELECT i.id, r.reference FROM intakes i JOIN referrals r ON r.id = i.referral_id WHERE r.person_id = ? AND "
            "i.story_recorded_at IS NOT NULL ORDER BY i.story_recorded_at DESC, i.id DESC LIMIT 1",
            {person_id});
        if (!latest) return std::nullopt;
        const auto id = latest->i64(0);
        auto f = facts(id);
        if (!f || !decide_access(*f, d::Action::read, d::Category::assessments_reports).permitted()) return std::nullopt;
        auto row = ctx_.tx.query_one(
            "SELECT story, strengths, needs_home, needs_school, needs_community, needs_health, involved, hopes, in_school, "
            "sectors FROM intakes WHERE id = ?",
            {id});
        return FileStory{id, latest->str(1), load_story(*row, id)};
    });
}

Result<void> IntakeRepo::bring_known_story(std::int64_t referral_id) {
    return guard_.operation([&]() -> Result<void> {
        if (!ctx_.actor) return Error::forbidden();
        auto r = ctx_.tx.query_one(
            "SELECT i.id, r.person_id, i.coordinating_agency_id FROM intakes i JOIN referrals r ON r.id = i.referral_id "
            "WHERE i.referral_id = ? AND i.status = 'in_intake' AND i.story_recorded_at IS NULL AND i.story = '' AND "
            "r.person_id IS NOT NULL",
            {referral_id});
        if (!r) return {};
        // A refusal is on record and leaves the intake as it is: the link it follows stands (a
        // refusal here must not answer for the link, which was decided on its own).
        auto f = facts(r->i64(0));
        if (!f || !decide_access(*f, d::Action::update, d::Category::assessments_reports).permitted()) return {};
        carry_story(r->i64(0), r->i64(1), r->i64(2), format_iso(ctx_.clock.now()));
        return {};
    });
}

// A child already known (the referral joined their file): the story the family told at their
// latest earlier intake with this agency starts the new one, so they do not tell it again. It
// is read as that intake's assessment (decided and audited on it); a refusal leaves the new
// intake empty. It comes in as a draft: story_recorded_at stays empty until the staff review it
// with the family and save it, which records it today (the decision needs it recorded).
void IntakeRepo::carry_story(std::int64_t id, std::int64_t person_id, std::int64_t agency_id, const std::string& at) {
    auto prior = ctx_.tx.query_one(
        "SELECT i.id, r.reference FROM intakes i JOIN referrals r ON r.id = i.referral_id WHERE r.person_id = ? AND "
        "i.coordinating_agency_id = ? AND i.id <> ? AND i.story_recorded_at IS NOT NULL ORDER BY i.story_recorded_at DESC, "
        "i.id DESC LIMIT 1",
        {person_id, agency_id, id});
    if (!prior) return;
    auto pf = facts(prior->i64(0));
    if (!pf || !decide_access(*pf, d::Action::read, d::Category::assessments_reports).permitted()) return;
    ctx_.tx.exec(
        "UPDATE intakes SET (story, strengths, needs_home, needs_school, needs_community, needs_health, involved, hopes, "
        "in_school, sectors) = (SELECT story, strengths, needs_home, needs_school, needs_community, needs_health, involved, "
        "hopes, in_school, sectors FROM intakes WHERE id = ?), version = version + 1 WHERE id = ?",
        {prior->i64(0), id});
    ctx_.tx.exec(
        "INSERT INTO intake_events (intake_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'story_carried', ?, ?)",
        {id, at, ctx_.actor->user_id, std::string(d::code(d::IntakeStatus::in_intake)), prior->str(1)});
}

std::optional<std::int64_t> IntakeRepo::of_referral(std::int64_t referral_id) {
    if (!ctx_.actor) return std::nullopt;
    auto r = ctx_.tx.query_one("SELECT id FROM intakes WHERE referral_id = ? AND coordinating_agency_id = ?",
                               {referral_id, ctx_.actor->organisation_id});
    if (!r) return std::nullopt;
    return r->i64(0);
}

std::vector<d::AreaCriterion> IntakeRepo::criteria_for(std::int64_t id) {
    auto f = facts(id);
    if (!f || relationship(f->agency_id) != d::Relationship::coordinating_agency) return {};
    return AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id).criteria;
}

std::optional<IntakeRepo::Keys> IntakeRepo::keys_of(std::int64_t id) {
    auto f = facts(id);
    if (!f || f->rel == d::Relationship::none) return std::nullopt;
    return Keys{f->referral_id, f->sda_id, f->rel};
}

Result<std::vector<IntakeSummary>> IntakeRepo::queue(std::optional<d::IntakeStatus> status, int limit, int offset) {
    return guard_.operation([&]() -> Result<std::vector<IntakeSummary>> {
        if (!ctx_.actor) return Error::forbidden();
        Facts mine;
        mine.agency_id = ctx_.actor->organisation_id;
        mine.rel = relationship(mine.agency_id);
        if (!decide_access(mine, d::Action::list, d::Category::identity_contact, Record::refusal).permitted())
            return guard_.refuse(Error::forbidden());
        std::string sql =
            "SELECT i.id, i.referral_id, r.reference, i.status, i.opened_at, COALESCE(i.decided_at, ''), r.given_name, "
            "r.family_name, r.date_of_birth, r.person_id, COALESCE(i.waitlisted_at, ''), COALESCE(u.display_name, '') "
            "FROM intakes i JOIN referrals r ON r.id = i.referral_id LEFT JOIN users u ON u.id = i.assigned_user_id "
            "WHERE i.coordinating_agency_id = ?";
        Params params{ctx_.actor->organisation_id};
        if (status) {
            sql += " AND i.status = ?";
            params.emplace_back(std::string(d::code(*status)));
        }
        // The waitlist in its order (the first waiting first); everything else the oldest first.
        sql += status == d::IntakeStatus::waitlisted ? " ORDER BY i.waitlisted_at, i.id" : " ORDER BY i.opened_at, i.id";
        sql += " LIMIT ? OFFSET ?";
        params.emplace_back(std::int64_t{limit});
        params.emplace_back(std::int64_t{offset});
        std::vector<IntakeSummary> out;
        for (const auto& row : ctx_.tx.query(sql, params)) {
            IntakeSummary s{row.i64(0), row.i64(1), row.str(2), row.str(3),  row.str(4), row.str(5),
                            row.str(6), row.str(7), row.str(8), row.str(10), row.str(11)};
            Facts f = mine;
            f.referral_id = s.referral_id;
            f.person_id = row.opt_i64(9);
            decide_access(f, d::Action::list, d::Category::identity_contact);
            out.push_back(std::move(s));
        }
        return out;
    });
}

d::Story IntakeRepo::load_story(const Row& r, std::int64_t id) {
    d::Story s;
    s.story = r.str(0);
    s.strengths = r.str(1);
    s.needs_home = r.str(2);
    s.needs_school = r.str(3);
    s.needs_community = r.str(4);
    s.needs_health = r.str(5);
    s.involved = r.str(6);
    s.hopes = r.str(7);
    if (auto v = r.opt_i64(8)) s.in_school = *v == 1;
    s.sectors = sectors_of(r.str(9));
    for (const auto& a : ctx_.tx.query("SELECT criterion_id, met FROM intake_answers WHERE intake_id = ?", {id}))
        s.answers[a.i64(0)] = a.i64(1) == 1;
    return s;
}

Result<IntakeRecord> IntakeRepo::read(std::int64_t id) {
    return guard_.operation([&]() -> Result<IntakeRecord> {
        auto f = allowed(id, d::Action::read, d::Category::identity_contact);
        if (!f) return f.error();
        if (!decide_access(*f, d::Action::read, d::Category::assessments_reports).permitted())
            return guard_.refuse(Error::forbidden());
        auto r = ctx_.tx.query_one(
            "SELECT i.story, i.strengths, i.needs_home, i.needs_school, i.needs_community, i.needs_health, i.involved, i.hopes, "
            "i.in_school, i.sectors, COALESCE(i.story_recorded_at, ''), i.status, i.opened_at, COALESCE(i.decided_at, ''), "
            "COALESCE(u.display_name, ''), i.decision_reason, i.version, r.reference, r.status, r.given_name, r.family_name, "
            "r.date_of_birth, r.official_language, r.preferred_language, r.contact_given_name, r.contact_family_name, "
            "r.contact_relationship, COALESCE(r.contact_phone, ''), COALESCE(r.contact_email, ''), r.needs, "
            "COALESCE(i.waitlisted_at, ''), COALESCE(i.assigned_at, ''), COALESCE(i.first_contact_at, ''), "
            "COALESCE(i.closed_at, ''), i.close_reason, COALESCE(i.retention_until, ''), COALESCE(au.display_name, ''), "
            "COALESCE(ao.name_fr, ''), COALESCE(ao.name_en, ''), i.opened_at, i.decided_at, i.assigned_at, i.first_contact_at, "
            "(SELECT pl.created_at FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id WHERE rf.id = i.referral_id), "
            "(SELECT pl.review_from FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id WHERE rf.id = i.referral_id "
            "AND pl.status IN ('active', 'under_review', 'in_transition')) "
            "FROM intakes i JOIN referrals r ON r.id = i.referral_id LEFT JOIN users u ON u.id = i.decided_by "
            "LEFT JOIN users au ON au.id = i.assigned_user_id LEFT JOIN organisations ao ON ao.id = i.assigned_organisation_id "
            "WHERE i.id = ?",
            {id});
        IntakeRecord out;
        out.id = id;
        out.referral_id = f->referral_id;
        out.sda_id = f->sda_id;
        out.coordinating_agency_id = f->agency_id;
        out.person_id = f->person_id;
        out.story = load_story(*r, id);
        out.story_recorded_at = r->str(10);
        out.status = r->str(11);
        out.opened_at = r->str(12);
        out.decided_at = r->str(13);
        out.decided_by_name = r->str(14);
        out.decision_reason = r->str(15);
        out.version = static_cast<int>(r->i64(16));
        out.reference = r->str(17);
        out.referral_status = r->str(18);
        out.given_name = r->str(19);
        out.family_name = r->str(20);
        out.date_of_birth = r->str(21);
        out.official_language = r->str(22);
        out.preferred_language = r->str(23);
        out.contact_name = r->str(24) + " " + r->str(25);
        out.contact_relationship = r->str(26);
        out.contact_phone = r->str(27);
        out.contact_email = r->str(28);
        out.referral_needs = r->str(29);
        out.waitlisted_at = r->str(30);
        out.assigned_at = r->str(31);
        out.first_contact_at = r->str(32);
        out.closed_at = r->str(33);
        out.close_reason = r->str(34);
        out.retention_until = r->str(35);
        out.assigned_name = r->str(36);
        out.assigned_org_fr = r->str(37);
        out.assigned_org_en = r->str(38);
        out.rules = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id);
        if (f->status == d::IntakeStatus::waitlisted)
            out.waitlist_position = waitlist_position(ctx_.tx, f->agency_id, id, out.waitlisted_at);
        if (f->status == d::IntakeStatus::assigned)
            out.due = d::due_items(out.rules, file_dates(*r, 39), date_of(ctx_.clock.now()));
        for (const auto& a :
             ctx_.tx.query("SELECT a.from_at, COALESCE(a.until_at, ''), u.display_name, o.name_fr, o.name_en, "
                           "COALESCE(b.display_name, ''), "
                           "a.reason, a.over_limit_reason FROM intake_assignments a JOIN users u ON u.id = a.user_id "
                           "JOIN organisations o ON o.id = a.organisation_id LEFT JOIN users b ON b.id = a.assigned_by "
                           "WHERE a.intake_id = ? ORDER BY a.id",
                           {id}))
            out.assignments.push_back({a.str(0), a.str(1), a.str(2), a.str(3), a.str(4), a.str(5), a.str(6), a.str(7)});
        for (const auto& e :
             ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM intake_events e "
                           "LEFT JOIN users u ON u.id = e.user_id WHERE e.intake_id = ? ORDER BY e.id",
                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3), e.str(4)});
        out.relationship = f->rel;
        // Whether the actor could change it: asked, not audited (nothing is changed or shown by it).
        out.may_update = decide_access(*f, d::Action::update, d::Category::assessments_reports, Record::never).permitted();
        return out;
    });
}

Result<void> IntakeRepo::save_story(std::int64_t id, const d::Story& s, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        if (f->status != d::IntakeStatus::in_intake) return Error::conflict("intake.error.decided");
        const std::string at = format_iso(ctx_.clock.now());
        if (ctx_.tx.exec("UPDATE intakes SET story = ?, strengths = ?, needs_home = ?, needs_school = ?, needs_community = ?, "
                         "needs_health = ?, involved = ?, hopes = ?, in_school = ?, sectors = ?, story_recorded_at = ?, "
                         "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                         {s.story, s.strengths, s.needs_home, s.needs_school, s.needs_community, s.needs_health, s.involved,
                          s.hopes, opt_bool(s.in_school), sectors_text(s.sectors), at, at, id, std::int64_t{version}}) != 1)
            return Error::conflict("intake.error.stale");
        for (const auto& [criterion, met] : s.answers) {
            const Params p{std::int64_t{met ? 1 : 0}, id, criterion};
            if (ctx_.tx.exec("UPDATE intake_answers SET met = ? WHERE intake_id = ? AND criterion_id = ?", p) == 0)
                ctx_.tx.exec("INSERT INTO intake_answers (met, intake_id, criterion_id) VALUES (?, ?, ?)", p);
        }
        return {};
    });
}

Result<d::IntakeStatus> IntakeRepo::decide(std::int64_t id, const d::IntakeDecision& dec, int version) {
    return guard_.operation([&]() -> Result<d::IntakeStatus> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        d::IntakeFacts facts;
        auto row = ctx_.tx.query_one(
            "SELECT story, strengths, needs_home, needs_school, needs_community, needs_health, involved, hopes, in_school, "
            "sectors, story_recorded_at FROM intakes WHERE id = ?",
            {id});
        facts.story_recorded = !row->is_null(10);
        const auto story = load_story(*row, id);
        const auto dob = parse_date(f->date_of_birth);
        facts.rules_met =
            dob &&
            d::assess(AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id), *dob, story, date_of(ctx_.clock.now())).all_met();
        const auto event = dec.eligible ? d::IntakeEvent::decide_eligible : d::IntakeEvent::decide_ineligible;
        const std::string at = format_iso(ctx_.clock.now());
        auto moved = fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status, event, f->rel,
                                     facts, ctx_.actor->user_id, dec.reason,
                                     {{"decision_reason", dec.reason},
                                      {"decided_at", at},
                                      {"decided_by", ctx_.actor->user_id},
                                      {"version", std::int64_t{version + 1}}});
        return moved;
    });
}

Result<void> IntakeRepo::reopen(std::int64_t id, const std::string& note, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        auto moved = fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status,
                                     d::IntakeEvent::reopen, f->rel, d::IntakeFacts{}, ctx_.actor->user_id, note,
                                     {{"version", std::int64_t{version + 1}},
                                      {"decided_at", Null{}},
                                      {"waitlisted_at", Null{}},
                                      {"assigned_user_id", Null{}},
                                      {"assigned_organisation_id", Null{}},
                                      {"assigned_at", Null{}},
                                      {"first_contact_at", Null{}}});
        if (!moved) return moved.error();
        return {};
    });
}

FamilyNotice IntakeRepo::notice(const Facts& f, const std::string& coordinator_name) {
    FamilyNotice n;
    auto r = ctx_.tx.query_one(
        "SELECT COALESCE(r.contact_email, ''), r.official_language, r.reference, o.name_fr, o.name_en FROM referrals r "
        "JOIN organisations o ON o.id = ? WHERE r.id = ?",
        {f.agency_id, f.referral_id});
    n.email = r->str(0);
    n.lang = r->str(1) == "fr" ? Lang::fr : Lang::en;
    n.reference = r->str(2);
    n.agency_fr = r->str(3);
    n.agency_en = r->str(4);
    n.coordinator_name = coordinator_name;
    return n;
}

Result<FamilyNotice> IntakeRepo::waitlist(std::int64_t id, const std::string& note, int version) {
    return guard_.operation([&]() -> Result<FamilyNotice> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        const std::string at = format_iso(ctx_.clock.now());
        auto moved = fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status,
                                     d::IntakeEvent::waitlist, f->rel, d::IntakeFacts{}, ctx_.actor->user_id, note,
                                     {{"waitlisted_at", at}, {"version", std::int64_t{version + 1}}});
        if (!moved) return moved.error();
        auto n = notice(*f, "");
        n.position = waitlist_position(ctx_.tx, f->agency_id, id, at);
        return n;
    });
}

std::vector<CoordinatorChoice> IntakeRepo::area_coordinators(std::int64_t sda_id, const d::AreaRules& rules) {
    std::vector<CoordinatorChoice> out;
    // People only: an API client's service account (features/fhir) may hold the coordinator role
    // in its organisation, but it never coordinates a child's plan.
    for (const auto& r : ctx_.tx.query(
             "SELECT u.id, o.id, u.display_name, o.name_fr, o.name_en, s.name_fr, s.name_en, COALESCE(p.languages, ''), "
             "o.fls_designated, p.caseload_limit, (SELECT COUNT(*) FROM file_team ft WHERE ft.user_id = u.id AND "
             "ft.organisation_id = o.id AND ft.kind = 'assigned_coordinator' AND ft.until_at IS NULL) "
             "FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id "
             "JOIN service_delivery_areas s ON s.id = o.sda_id LEFT JOIN coordinator_profiles p ON p.user_id = u.id "
             "WHERE m.role = 'coordinator' AND m.active = 1 AND u.active = 1 AND o.active = 1 AND o.sda_id = ? "
             "AND u.id NOT IN (SELECT user_id FROM api_clients) "
             "ORDER BY u.display_name, u.id, o.id",
             {sda_id})) {
        CoordinatorChoice c;
        c.user_id = r.i64(0);
        c.organisation_id = r.i64(1);
        c.display_name = r.str(2);
        c.org_name_fr = r.str(3);
        c.org_name_en = r.str(4);
        c.sda_name_fr = r.str(5);
        c.sda_name_en = r.str(6);
        for (const auto& l : split_on(r.str(7), ',')) c.languages.push_back(l);
        c.fls_designated = r.i64(8) == 1;
        c.limit = r.opt_i64(9) ? static_cast<int>(*r.opt_i64(9)) : rules.caseload_limit;
        c.caseload = static_cast<int>(r.i64(10));
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<CoordinatorChoice> IntakeRepo::coordinators(std::int64_t id) {
    auto f = facts(id);
    if (!f || f->rel != d::Relationship::coordinating_agency) return {};
    return area_coordinators(f->sda_id, AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id));
}

Result<FamilyNotice> IntakeRepo::assign(std::int64_t id, const d::Assignment& a, int version) {
    return guard_.operation([&]() -> Result<FamilyNotice> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        const auto rules = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id);
        const auto choices = area_coordinators(f->sda_id, rules);
        const CoordinatorChoice* chosen = nullptr;
        for (const auto& c : choices)
            if (c.user_id == a.user_id && c.organisation_id == a.organisation_id) chosen = &c;
        if (!chosen) return Error::invalid_field("coordinator", "intake.assign.not_a_choice");
        const bool reassigning = f->status == d::IntakeStatus::assigned;
        auto current = ctx_.tx.query_one(
            "SELECT assigned_user_id, assigned_organisation_id FROM intakes WHERE id = ? AND assigned_user_id IS NOT NULL", {id});
        if (reassigning && current && current->i64(0) == a.user_id && current->i64(1) == a.organisation_id)
            return Error::invalid_field("coordinator", "intake.assign.same_coordinator");
        if (reassigning && a.reason.empty()) return Error::invalid_field("reason", "field.required");
        if (chosen->at_limit() && a.over_limit_reason.empty())
            return Error::invalid_field("over_limit_reason", "intake.assign.over_limit",
                                        {chosen->display_name, std::to_string(chosen->caseload), std::to_string(chosen->limit)});
        d::IntakeFacts facts;
        facts.file_registered = f->person_id.has_value();
        const std::string at = format_iso(ctx_.clock.now());
        auto moved = fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status,
                                     reassigning ? d::IntakeEvent::reassign : d::IntakeEvent::assign, f->rel, facts,
                                     ctx_.actor->user_id, chosen->display_name + (a.reason.empty() ? "" : " — " + a.reason),
                                     {{"assigned_user_id", a.user_id},
                                      {"assigned_organisation_id", a.organisation_id},
                                      {"assigned_at", at},
                                      {"version", std::int64_t{version + 1}}});
        if (!moved) return moved.error();
        ctx_.tx.exec("UPDATE intake_assignments SET until_at = ? WHERE intake_id = ? AND until_at IS NULL", {at, id});
        ctx_.tx.exec(
            "INSERT INTO intake_assignments (intake_id, user_id, organisation_id, from_at, assigned_by, reason, "
            "over_limit_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {id, a.user_id, a.organisation_id, at, ctx_.actor->user_id, a.reason, a.over_limit_reason});
        // The coordinator's place on the file's team: what opens the file to them.
        auto placed =
            PersonRepo(ctx_).add_to_team(*f->person_id, a.user_id, a.organisation_id, d::TeamKind::assigned_coordinator);
        // The choice was checked against the area's active coordinators above: a refusal here is a
        // defect, and the exception rolls the whole transaction back (never a status without its place).
        if (!placed) throw std::logic_error("assignment: the file's team refused coordinator " + std::to_string(a.user_id));
        return notice(*f, chosen->display_name);
    });
}

Result<void> IntakeRepo::close(std::int64_t id, const d::Closure& c, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        const auto rules = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id);
        const auto now = ctx_.clock.now();
        const std::string at = format_iso(now);
        const std::string reason(d::code(c.reason));
        auto moved =
            fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status, d::IntakeEvent::close,
                            f->rel, d::IntakeFacts{}, ctx_.actor->user_id, c.note.empty() ? reason : reason + " — " + c.note,
                            {{"closed_at", at},
                             {"close_reason", reason},
                             {"retention_until", add_years(date_of(now), rules.retention_years).iso()},
                             {"version", std::int64_t{version + 1}}});
        if (!moved) return moved.error();
        ctx_.tx.exec("UPDATE intake_assignments SET until_at = ? WHERE intake_id = ? AND until_at IS NULL", {at, id});
        // The coordinator's place on the team ends with the file's coordination.
        if (f->person_id)
            ctx_.tx.exec(
                "UPDATE file_team SET until_at = ? WHERE person_id = ? AND kind = 'assigned_coordinator' AND until_at IS NULL",
                {at, *f->person_id});
        return {};
    });
}

Result<void> IntakeRepo::record_first_contact(std::int64_t id, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_update(id, version);
        if (!f) return f.error();
        if (f->status != d::IntakeStatus::assigned) return Error::conflict("intake.error.not_assigned");
        const std::string at = format_iso(ctx_.clock.now());
        if (ctx_.tx.exec("UPDATE intakes SET first_contact_at = ?, updated_at = ?, version = version + 1 "
                         "WHERE id = ? AND version = ? AND first_contact_at IS NULL",
                         {at, at, id, std::int64_t{version}}) != 1)
            return Error::conflict("intake.error.stale");
        ctx_.tx.exec("INSERT INTO intake_events (intake_id, at, user_id, event, status) VALUES (?, ?, ?, 'first_contact', ?)",
                     {id, at, ctx_.actor->user_id, std::string(d::code(f->status))});
        return {};
    });
}

Result<std::vector<CaseloadRow>> IntakeRepo::caseload() {
    return guard_.operation([&]() -> Result<std::vector<CaseloadRow>> {
        if (!ctx_.actor) return Error::forbidden();
        std::vector<CaseloadRow> out;
        const Date today = date_of(ctx_.clock.now());
        std::map<std::int64_t, d::AreaRules> rules;
        for (const auto& r : ctx_.tx.query(
                 "SELECT i.id, r.person_id, r.reference, r.given_name, r.family_name, r.date_of_birth, i.assigned_at, i.sda_id, "
                 "i.opened_at, i.decided_at, i.assigned_at, i.first_contact_at, "
                 "(SELECT pl.created_at FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id WHERE rf.id = "
                 "i.referral_id), (SELECT pl.review_from FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id "
                 "WHERE rf.id = i.referral_id AND pl.status IN ('active', 'under_review', 'in_transition')) FROM intakes i "
                 "JOIN referrals r ON r.id = i.referral_id WHERE i.assigned_user_id = ? AND i.assigned_organisation_id = ? "
                 "AND i.status = 'assigned' ORDER BY i.assigned_at, i.id",
                 {ctx_.actor->user_id, ctx_.actor->organisation_id})) {
            CaseloadRow row;
            row.id = r.i64(0);
            row.person_id = r.opt_i64(1);
            row.reference = r.str(2);
            row.assigned_at = r.str(6);
            // Decided on the file, as the file's list would: the identity only where consent reaches.
            std::optional<FileAccess> file;
            if (row.person_id) file = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, *row.person_id);
            const bool shown =
                file &&
                guard_.decide(file->request(d::Category::identity_contact, d::Action::list), {row.person_id, std::nullopt})
                    .permitted();
            row.withheld = !shown;
            if (shown) {
                row.given_name = r.str(3);
                row.family_name = r.str(4);
                row.date_of_birth = r.str(5);
            }
            const auto sda = r.i64(7);
            if (!rules.count(sda)) rules[sda] = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(sda);
            row.due = d::due_items(rules[sda], file_dates(r, 8), today);
            out.push_back(std::move(row));
        }
        return out;
    });
}

Result<std::vector<CoordinatorChoice>> IntakeRepo::coordinators_load() {
    return guard_.operation([&]() -> Result<std::vector<CoordinatorChoice>> {
        if (!ctx_.actor) return Error::forbidden();
        if (relationship(ctx_.actor->organisation_id) != d::Relationship::coordinating_agency ||
            !ctx_.tx.query_one(
                "SELECT 1 FROM organisation_csp_roles WHERE organisation_id = ? AND csp_role = 'coordinating_agency'",
                {ctx_.actor->organisation_id}))
            return Error::forbidden();
        const auto sda =
            ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id})->i64(0);
        const auto rules = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(sda);
        auto out = area_coordinators(sda, rules);
        const Date today = date_of(ctx_.clock.now());
        for (const auto& r : ctx_.tx.query(
                 "SELECT assigned_user_id, assigned_organisation_id, opened_at, decided_at, assigned_at, "
                 "first_contact_at, (SELECT pl.created_at FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id "
                 "WHERE rf.id = intakes.referral_id), (SELECT pl.review_from FROM plans pl JOIN referrals rf ON "
                 "rf.person_id = pl.person_id WHERE rf.id = intakes.referral_id AND pl.status IN ('active', 'under_review', "
                 "'in_transition')) FROM intakes WHERE sda_id = ? AND status = 'assigned'",
                 {sda})) {
            int overdue = 0;
            for (const auto& item : d::due_items(rules, file_dates(r, 2), today))
                if (item.state == d::DueState::overdue) ++overdue;
            for (auto& c : out)
                if (c.user_id == r.i64(0) && c.organisation_id == r.i64(1)) c.overdue += overdue;
        }
        return out;
    });
}

Result<void> IntakeRepo::save_profile(std::int64_t user_id, const std::vector<std::string>& languages, std::optional<int> limit) {
    if (!ctx_.actor || ctx_.actor->role != d::Role::ca_admin) return Error::forbidden();
    const auto sda = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id});
    if (!sda) return Error::forbidden();
    bool known = false;
    for (const auto& c : area_coordinators(sda->i64(0), AreaRulesRepo(ctx_.tx, ctx_.clock).rules(sda->i64(0))))
        known = known || c.user_id == user_id;
    if (!known) return Error::not_found();
    std::string langs;
    for (const auto& l : languages) langs += (langs.empty() ? "" : ",") + l;
    const std::string at = format_iso(ctx_.clock.now());
    const Value lim = limit ? Value{std::int64_t{*limit}} : Value{Null{}};
    if (ctx_.tx.exec("UPDATE coordinator_profiles SET languages = ?, caseload_limit = ?, updated_at = ?, updated_by = ? "
                     "WHERE user_id = ?",
                     {langs, lim, at, ctx_.actor->user_id, user_id}) == 0)
        ctx_.tx.exec(
            "INSERT INTO coordinator_profiles (languages, caseload_limit, updated_at, updated_by, user_id) "
            "VALUES (?, ?, ?, ?, ?)",
            {langs, lim, at, ctx_.actor->user_id, user_id});
    return {};
}

// ---------------------------------------------------------------- the reminder job

std::vector<OverdueItem> overdue_items(Tx& tx, const Clock& clock) {
    std::vector<OverdueItem> out;
    const Date today = date_of(clock.now());
    std::map<std::int64_t, d::AreaRules> rules;
    for (const auto& r : tx.query("SELECT i.id, i.coordinating_agency_id, i.assigned_user_id, r.reference, i.sda_id, i.status, "
                                  "i.opened_at, i.decided_at, i.assigned_at, i.first_contact_at, "
                                  "(SELECT pl.created_at FROM plans pl JOIN referrals rf ON rf.person_id = pl.person_id WHERE "
                                  "rf.id = i.referral_id), (SELECT pl.review_from FROM plans pl JOIN referrals rf ON "
                                  "rf.person_id = pl.person_id WHERE rf.id = i.referral_id AND pl.status IN ('active', "
                                  "'under_review', 'in_transition')) FROM intakes i "
                                  "JOIN referrals r ON r.id = i.referral_id WHERE i.status IN ('in_intake', 'assigned') "
                                  "ORDER BY i.id")) {
        const auto sda = r.i64(4);
        if (!rules.count(sda)) rules[sda] = AreaRulesRepo(tx, clock).rules(sda);
        const bool assigned = r.str(5) == "assigned";
        for (const auto& item : d::due_items(rules[sda], file_dates(r, 6), today)) {
            if (item.state != d::DueState::overdue || (item.key == "intake_decision") == assigned) continue;
            OverdueItem o{r.i64(0), r.i64(1), assigned ? r.opt_i64(2) : std::nullopt, r.str(3), item.key, item.due};
            out.push_back(std::move(o));
        }
    }
    return out;
}

}  // namespace arrimage::store
