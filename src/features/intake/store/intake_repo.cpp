#include "features/intake/store/intake_repo.hpp"

#include <stdexcept>

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
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (auto s = d::parse_sector(text.substr(start, end - start))) out.push_back(*s);
        start = end + 1;
    }
    return out;
}

Value opt_bool(const std::optional<bool>& b) {
    return b ? Value{std::int64_t{*b ? 1 : 0}} : Value{Null{}};
}

}  // namespace

// ---------------------------------------------------------------- the area's rules

d::AreaRules AreaRulesRepo::rules(std::int64_t sda_id) {
    d::AreaRules r;
    if (auto row = tx_.query_one("SELECT max_age, school_max_age, min_sectors, first_contact_days, intake_decision_days, "
                                 "first_plan_days, review_interval_days, caseload_limit, referral_answer_days "
                                 "FROM area_rules WHERE sda_id = ?",
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
                        format_iso(clock_.now()),
                        user_id,
                        sda_id};
    if (tx_.exec("UPDATE area_rules SET max_age = ?, school_max_age = ?, min_sectors = ?, first_contact_days = ?, "
                 "intake_decision_days = ?, first_plan_days = ?, review_interval_days = ?, caseload_limit = ?, "
                 "referral_answer_days = ?, updated_at = ?, updated_by = ? WHERE sda_id = ?",
                 values) == 1)
        return;
    tx_.exec(
        "INSERT INTO area_rules (max_age, school_max_age, min_sectors, first_contact_days, intake_decision_days, "
        "first_plan_days, review_interval_days, caseload_limit, referral_answer_days, updated_at, updated_by, sda_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    return Facts{r->i64(0), r->i64(1), r->i64(2), r->i64(3), *status, r->opt_i64(5), static_cast<int>(r->i64(6)), r->str(7)};
}

// The organisation that received the referral runs its intake.
d::Relationship IntakeRepo::relationship(std::int64_t agency_id) const {
    if (!ctx_.actor || ctx_.actor->organisation_id != agency_id) return d::Relationship::none;
    return ctx_.actor->role == d::Role::privacy_officer ? d::Relationship::privacy_officer : d::Relationship::coordinating_agency;
}

d::Decision IntakeRepo::decide_access(const Facts& f, d::Action a, d::Category c, Record how) {
    d::AccessRequest q;
    q.relationship = relationship(f.agency_id);
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
    if (!decide_access(*f, a, c).permitted()) return guard_.refuse(relationship(f->agency_id));
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
        return id;
    });
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
    if (!f || relationship(f->agency_id) == d::Relationship::none) return std::nullopt;
    return Keys{f->referral_id, f->sda_id};
}

Result<std::vector<IntakeSummary>> IntakeRepo::queue(std::optional<d::IntakeStatus> status, int limit, int offset) {
    return guard_.operation([&]() -> Result<std::vector<IntakeSummary>> {
        if (!ctx_.actor) return Error::forbidden();
        Facts mine;
        mine.agency_id = ctx_.actor->organisation_id;
        if (!decide_access(mine, d::Action::list, d::Category::identity_contact, Record::refusal).permitted())
            return guard_.refuse(Error::forbidden());
        std::string sql =
            "SELECT i.id, i.referral_id, r.reference, i.status, i.opened_at, COALESCE(i.decided_at, ''), r.given_name, "
            "r.family_name, r.date_of_birth, r.person_id FROM intakes i JOIN referrals r ON r.id = i.referral_id "
            "WHERE i.coordinating_agency_id = ?";
        Params params{ctx_.actor->organisation_id};
        if (status) {
            sql += " AND i.status = ?";
            params.emplace_back(std::string(d::code(*status)));
        }
        sql += " ORDER BY i.opened_at, i.id LIMIT ? OFFSET ?";
        params.emplace_back(std::int64_t{limit});
        params.emplace_back(std::int64_t{offset});
        std::vector<IntakeSummary> out;
        for (const auto& row : ctx_.tx.query(sql, params)) {
            IntakeSummary s{row.i64(0), row.i64(1), row.str(2), row.str(3), row.str(4),
                            row.str(5), row.str(6), row.str(7), row.str(8)};
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
            "r.contact_relationship, COALESCE(r.contact_phone, ''), COALESCE(r.contact_email, ''), r.needs "
            "FROM intakes i JOIN referrals r ON r.id = i.referral_id LEFT JOIN users u ON u.id = i.decided_by WHERE i.id = ?",
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
        out.rules = AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f->sda_id);
        for (const auto& e :
             ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM intake_events e "
                           "LEFT JOIN users u ON u.id = e.user_id WHERE e.intake_id = ? ORDER BY e.id",
                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3), e.str(4)});
        out.relationship = relationship(f->agency_id);
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
        auto moved = fire_transition(ctx_.tx, ctx_.clock, intake_tables, d::intake_lifecycle(), id, f->status, event,
                                     relationship(f->agency_id), facts, ctx_.actor->user_id, dec.reason,
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
                                     d::IntakeEvent::reopen, relationship(f->agency_id), d::IntakeFacts{}, ctx_.actor->user_id,
                                     note, {{"version", std::int64_t{version + 1}}});
        if (!moved) return moved.error();
        return {};
    });
}

}  // namespace arrimage::store
