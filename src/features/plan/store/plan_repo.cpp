#include "features/plan/store/plan_repo.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

const LifecycleTables plan_tables{"plans", "plan_events", "plan_id"};

d::PlanStatus status_of(const std::string& code, std::int64_t plan_id) {
    // A status the table does not know is corrupt data: an error, never a default.
    auto s = d::parse_plan_status(code);
    if (!s) throw std::runtime_error("plan " + std::to_string(plan_id) + " has an unknown status");
    return *s;
}

}  // namespace

PlanRepo::PlanRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::string PlanRepo::now() const {
    return format_iso(ctx_.clock.now());
}

std::optional<PlanRepo::Facts> PlanRepo::facts(std::int64_t person_id) {
    if (!ctx_.actor) return std::nullopt;
    auto file = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!file) return std::nullopt;
    Facts f{std::move(*file), std::nullopt, d::PlanStatus::draft, 0};
    if (auto p = ctx_.tx.query_one("SELECT id, status, version FROM plans WHERE person_id = ?", {person_id})) {
        f.plan_id = p->i64(0);
        f.status = status_of(p->str(1), p->i64(0));
        f.version = static_cast<int>(p->i64(2));
    }
    return f;
}

// The agency works a file's intake under the referral purpose; the plan is coordination.
d::AccessRequest PlanRepo::request(const Facts& f, d::Action a) const {
    auto q = f.file.request(d::Category::plan, a);
    if (q.relationship == d::Relationship::coordinating_agency) q.purpose = d::Purpose::coordination;
    return q;
}

Result<PlanRepo::Facts> PlanRepo::allowed(std::int64_t person_id, d::Action a) {
    auto f = facts(person_id);
    if (!f) {
        // Nothing to decide about: a refusal without a relationship, on record.
        d::AccessRequest q;
        q.action = a;
        q.category = d::Category::plan;
        guard_.decide(q, {person_id});
        return guard_.refuse(d::Relationship::none);
    }
    const auto decision = guard_.decide(request(*f, a), {person_id});
    if (!decision.permitted()) return guard_.refuse(f->file.relationship);
    return std::move(*f);
}

// Starting the plan and moving its status are its keeper's: anyone else is refused on record
// (the lifecycle table would refuse them too, but leave no row).
Result<PlanRepo::Facts> PlanRepo::for_keeper(std::int64_t person_id, d::Action a) {
    auto f = facts(person_id);
    if (f && !d::is_plan_keeper(f->file.relationship)) {
        const auto rel = f->file.relationship;
        const d::Decision deny{
            d::Effect::deny,
            rel == d::Relationship::none ? d::Reason::no_relationship : d::Reason::role_relationship_not_permitted, false, 0};
        guard_.record(request(*f, a), deny, {person_id});
        return guard_.refuse(rel);
    }
    return allowed(person_id, a);
}

Result<void> PlanRepo::editable(const Facts& f, int version, bool closed_ok) const {
    if (!f.plan_id) return Error::conflict("plan.error.no_plan");
    if (f.status == d::PlanStatus::closed && !closed_ok) return Error::conflict("plan.error.closed");
    if (version != f.version) return Error::conflict("plan.error.stale");
    return {};
}

Result<void> PlanRepo::bump(std::int64_t plan_id, int version) {
    if (ctx_.tx.exec("UPDATE plans SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                     {now(), plan_id, std::int64_t{version}}) != 1)
        return Error::conflict("plan.error.stale");
    return {};
}

d::PlanContent PlanRepo::load(std::int64_t plan_id) {
    d::PlanContent c;
    auto p = ctx_.tx.query_one(
        "SELECT status, about, strengths, needs_home, needs_school, needs_community, needs_health, hopes FROM plans WHERE id = ?",
        {plan_id});
    c.status = status_of(p->str(0), plan_id);
    c.sections = {p->str(1), p->str(2), p->str(3), p->str(4), p->str(5), p->str(6), p->str(7)};
    for (const auto& g : ctx_.tx.query(
             "SELECT id, priority, text, expressed_by, progress FROM plan_goals WHERE plan_id = ? ORDER BY priority, id",
             {plan_id})) {
        d::PlanGoal goal;
        goal.id = g.i64(0);
        goal.priority = static_cast<int>(g.i64(1));
        goal.text = g.str(2);
        goal.expressed_by = d::parse_expressed_by(g.str(3)).value_or(d::ExpressedBy::family);
        goal.progress = d::parse_goal_progress(g.str(4)).value_or(d::GoalProgress::not_started);
        c.goals.push_back(std::move(goal));
    }
    return c;
}

void PlanRepo::record_version(std::int64_t plan_id, int version, std::string_view change, const std::string& reason) {
    ctx_.tx.exec(
        "INSERT INTO plan_versions (plan_id, version, at, user_id, change, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {plan_id, std::int64_t{version}, now(), ctx_.actor->user_id, std::string(change), reason, d::snapshot(load(plan_id))});
}

Result<PlanRecord> PlanRepo::read(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<PlanRecord> {
        auto f = facts(person_id);
        if (!f) {
            d::AccessRequest q;
            q.category = d::Category::plan;
            guard_.decide(q, {person_id});
            return guard_.refuse(d::Relationship::none);
        }
        PlanRecord out;
        out.person_id = person_id;
        out.relationship = f->file.relationship;
        const auto decision = guard_.decide(request(*f, d::Action::read), {person_id});
        if (decision.withheld()) {
            out.withheld = true;
            return out;
        }
        if (!decision.permitted()) return guard_.refuse(f->file.relationship);
        out.keeper = d::is_plan_keeper(f->file.relationship);
        if (!f->plan_id) {
            out.may_create = out.keeper && guard_.ask(request(*f, d::Action::create)).permitted();
            return out;
        }
        const auto id = *f->plan_id;
        out.id = id;
        auto p = ctx_.tx.query_one(
            "SELECT p.status, p.about, p.strengths, p.needs_home, p.needs_school, p.needs_community, p.needs_health, p.hopes, "
            "p.version, p.created_at, COALESCE(u.display_name, ''), COALESCE(r.reference, '') FROM plans p "
            "LEFT JOIN users u ON u.id = p.created_by LEFT JOIN intakes i ON i.id = p.source_intake_id "
            "LEFT JOIN referrals r ON r.id = i.referral_id WHERE p.id = ?",
            {id});
        out.status = p->str(0);
        out.sections = {p->str(1), p->str(2), p->str(3), p->str(4), p->str(5), p->str(6), p->str(7)};
        out.version = static_cast<int>(p->i64(8));
        out.created_at = p->str(9);
        out.created_by_name = p->str(10);
        out.source_reference = p->str(11);
        for (const auto& g : ctx_.tx.query("SELECT g.id, g.priority, g.text, g.expressed_by, g.progress, g.updated_at, "
                                           "COALESCE(u.display_name, '') FROM plan_goals g LEFT JOIN users u ON u.id = "
                                           "g.updated_by WHERE g.plan_id = ? ORDER BY g.priority, g.id",
                                           {id}))
            out.goals.push_back({g.i64(0), static_cast<int>(g.i64(1)), g.str(2), g.str(3), g.str(4), g.str(5), g.str(6)});
        for (const auto& v : ctx_.tx.query("SELECT v.version, v.at, COALESCE(u.display_name, ''), v.change, v.reason FROM "
                                           "plan_versions v LEFT JOIN users u ON u.id = v.user_id WHERE v.plan_id = ? ORDER "
                                           "BY v.version DESC",
                                           {id}))
            out.versions.push_back({static_cast<int>(v.i64(0)), v.str(1), v.str(2), v.str(3), v.str(4)});
        for (const auto& e : ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                           "plan_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.plan_id = ? ORDER BY "
                                           "e.id",
                                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3), e.str(4)});
        out.may_update = f->status != d::PlanStatus::closed && guard_.ask(request(*f, d::Action::update)).permitted();
        return out;
    });
}

Result<std::int64_t> PlanRepo::create(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = for_keeper(person_id, d::Action::create);
        if (!f) return f.error();
        if (f->plan_id) return Error::conflict("plan.error.exists");
        // The story told once, at the file's intake, is where the plan starts.
        const auto story = IntakeRepo(ctx_).story_of_file(person_id);
        d::PlanSections s;
        std::optional<std::int64_t> source;
        if (story) {
            const auto& t = story->story;
            s = {t.story, t.strengths, t.needs_home, t.needs_school, t.needs_community, t.needs_health, t.hopes};
            source = story->intake_id;
        }
        const std::string at = now();
        auto row = ctx_.tx.query_one(
            "INSERT INTO plans (person_id, status, about, strengths, needs_home, needs_school, needs_community, needs_health, "
            "hopes, source_intake_id, version, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, "
            "?, "
            "?) ON CONFLICT (person_id) DO NOTHING RETURNING id",
            {person_id, std::string(d::code(d::PlanStatus::draft)), s.about, s.strengths, s.needs_home, s.needs_school,
             s.needs_community, s.needs_health, s.hopes, opt(source), at, ctx_.actor->user_id, at});
        if (!row) return Error::conflict("plan.error.exists");
        const auto id = row->i64(0);
        ctx_.tx.exec("INSERT INTO plan_events (plan_id, at, user_id, event, status) VALUES (?, ?, ?, 'create', ?)",
                     {id, at, ctx_.actor->user_id, std::string(d::code(d::PlanStatus::draft))});
        record_version(id, 1, "created", story ? story->reference : std::string());
        return id;
    });
}

Result<void> PlanRepo::save_sections(std::int64_t person_id, const d::PlanSections& s, const std::string& reason, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f, version); !e) return e.error();
        if (ctx_.tx.exec("UPDATE plans SET about = ?, strengths = ?, needs_home = ?, needs_school = ?, needs_community = ?, "
                         "needs_health = ?, hopes = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                         {s.about, s.strengths, s.needs_home, s.needs_school, s.needs_community, s.needs_health, s.hopes, now(),
                          *f->plan_id, std::int64_t{version}}) != 1)
            return Error::conflict("plan.error.stale");
        record_version(*f->plan_id, version + 1, "sections", reason);
        return {};
    });
}

Result<std::int64_t> PlanRepo::add_goal(std::int64_t person_id, const d::NewGoal& g, int version) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = allowed(person_id, d::Action::create);
        if (!f) return f.error();
        if (auto e = editable(*f, version); !e) return e.error();
        if (auto e = bump(*f->plan_id, version); !e) return e.error();
        const std::string at = now();
        const auto id =
            ctx_.tx
                .query_one(
                    "INSERT INTO plan_goals (plan_id, priority, text, expressed_by, progress, created_at, "
                    "created_by, updated_at, updated_by) VALUES (?, (SELECT COALESCE(MAX(priority), 0) + 1 "
                    "FROM plan_goals WHERE plan_id = ?), ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {*f->plan_id, *f->plan_id, g.text, std::string(d::code(g.expressed_by)),
                     std::string(d::code(d::GoalProgress::not_started)), at, ctx_.actor->user_id, at, ctx_.actor->user_id})
                ->i64(0);
        record_version(*f->plan_id, version + 1, "goal_added", g.reason);
        return id;
    });
}

Result<void> PlanRepo::update_goal(std::int64_t person_id, std::int64_t goal_id, const d::GoalProgressChange& c, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f, version); !e) return e.error();
        auto goal = ctx_.tx.query_one("SELECT priority FROM plan_goals WHERE id = ? AND plan_id = ?", {goal_id, *f->plan_id});
        if (!goal) return Error::not_found();
        if (auto e = bump(*f->plan_id, version); !e) return e.error();
        // A new place for the goal: the goals between its old place and the new one move one
        // place towards the old (the places stay 1, 2, 3... with no gap); past the last, last.
        const auto old_place = goal->i64(0);
        const auto last = ctx_.tx.query_one("SELECT MAX(priority) FROM plan_goals WHERE plan_id = ?", {*f->plan_id})->i64(0);
        const std::int64_t place = std::min<std::int64_t>(c.priority, last);
        if (place > old_place)
            ctx_.tx.exec("UPDATE plan_goals SET priority = priority - 1 WHERE plan_id = ? AND priority > ? AND priority <= ?",
                         {*f->plan_id, old_place, place});
        else if (place < old_place)
            ctx_.tx.exec("UPDATE plan_goals SET priority = priority + 1 WHERE plan_id = ? AND priority >= ? AND priority < ?",
                         {*f->plan_id, place, old_place});
        ctx_.tx.exec("UPDATE plan_goals SET progress = ?, priority = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                     {std::string(d::code(c.progress)), place, now(), ctx_.actor->user_id, goal_id});
        record_version(*f->plan_id, version + 1, "goal_updated", c.reason);
        return {};
    });
}

Result<d::PlanStatus> PlanRepo::transition(std::int64_t person_id, const d::PlanTransition& t, int version) {
    return guard_.operation([&]() -> Result<d::PlanStatus> {
        auto f = for_keeper(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f, version, true); !e) return e.error();
        d::PlanFacts facts;
        facts.has_goals = ctx_.tx.query_one("SELECT COUNT(*) FROM plan_goals WHERE plan_id = ?", {*f->plan_id})->i64(0) > 0;
        auto moved = fire_transition(ctx_.tx, ctx_.clock, plan_tables, d::plan_lifecycle(), *f->plan_id, f->status, t.event,
                                     f->file.relationship, facts, ctx_.actor->user_id, t.reason);
        if (!moved) return moved.error();
        if (auto e = bump(*f->plan_id, version); !e) return e.error();
        record_version(*f->plan_id, version + 1, "status",
                       std::string(d::code(t.event)) + (t.reason.empty() ? "" : ": " + t.reason));
        return *moved;
    });
}

}  // namespace arrimage::store
