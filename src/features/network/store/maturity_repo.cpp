#include "features/network/store/maturity_repo.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/time.hpp"
#include "features/network/store/reader_area.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::admin_area;
using network_area::reader_area;

constexpr const char* summary_select =
    "SELECT m.id, m.sda_id, s.name_fr, s.name_en, m.agreement_id, COALESCE(a.reference, ''), COALESCE(a.title_fr, ''), "
    "COALESCE(a.title_en, ''), m.assessed_on, m.score_tenths, m.stage, COALESCE(u.display_name, ''), "
    "(SELECT COUNT(*) FROM maturity_marks k WHERE k.assessment_id = m.id AND k.held = 1) "
    "FROM maturity_assessments m JOIN service_delivery_areas s ON s.id = m.sda_id "
    "LEFT JOIN agreements a ON a.id = m.agreement_id LEFT JOIN users u ON u.id = m.created_by ";

// The statuses of a partnership that may still be assessed (the form's choices).
constexpr const char* assessable = "a.status NOT IN ('expired', 'terminated')";
// No partnership at all: the area alone (listed for its administrators before its first
// assessment).
constexpr const char* no_agreement = "1 = 0";

AssessmentSummary summary_of(const Row& r) {
    AssessmentSummary s;
    s.id = r.i64(0);
    s.subject.sda_id = r.i64(1);
    s.subject.area_fr = r.str(2);
    s.subject.area_en = r.str(3);
    s.subject.agreement_id = r.opt_i64(4);
    s.subject.reference = r.str(5);
    s.subject.title_fr = r.str(6);
    s.subject.title_en = r.str(7);
    s.assessed_on = r.str(8);
    s.score.tenths = static_cast<int>(r.i64(9));
    s.score.stage = d::parse_maturity_level(r.str(10)).value_or(d::MaturityLevel::fragmented);
    s.score.marks_held = static_cast<int>(r.i64(12));
    s.recorded_by = r.str(11);
    return s;
}

// The assessments `where` selects (on `m` alone, with `params`), in `order`, each with its levels
// in the catalogue's order: their answers are read by the same condition, in one statement
// whatever their number (a list of ids would grow past what a statement may bind).
std::vector<AssessmentSummary> summaries(Tx& tx, const std::string& where, const Params& params, std::string_view order) {
    std::vector<AssessmentSummary> out;
    for (const auto& r : tx.query(std::string(summary_select) + where + std::string(order), params)) out.push_back(summary_of(r));
    if (out.empty()) return out;
    std::map<std::int64_t, std::map<std::string, int>> levels;  // assessment -> dimension -> rank
    for (const auto& r :
         tx.query("SELECT x.assessment_id, x.dimension, x.level FROM maturity_answers x JOIN maturity_assessments "
                  "m ON m.id = x.assessment_id " +
                      where,
                  params))
        levels[r.i64(0)][r.str(1)] = static_cast<int>(r.i64(2));
    for (auto& s : out) {
        const auto& mine = levels[s.id];
        for (auto dimension : d::all_maturity_dimensions()) {
            const auto it = mine.find(std::string(d::code(dimension)));
            const auto level = it == mine.end() ? std::nullopt : d::level_of_rank(it->second);
            s.levels.push_back(level.value_or(d::MaturityLevel::fragmented));
        }
    }
    return out;
}

// The condition on `m` selecting one subject's assessments; its parameters appended to `params`.
std::string subject_condition(std::int64_t sda_id, std::optional<std::int64_t> agreement_id, Params& params) {
    params.emplace_back(sda_id);
    if (!agreement_id) return "m.sda_id = ? AND m.agreement_id IS NULL";
    params.emplace_back(*agreement_id);
    return "m.sda_id = ? AND m.agreement_id = ?";
}

// The area itself, then its partnerships whose status `statuses` admits, by reference.
std::vector<MaturitySubject> subjects_of_area(Tx& tx, std::int64_t sda_id, const char* statuses) {
    std::vector<MaturitySubject> out;
    const auto area = tx.query_one("SELECT name_fr, name_en FROM service_delivery_areas WHERE id = ?", {sda_id});
    if (!area) return out;
    MaturitySubject whole;
    whole.sda_id = sda_id;
    whole.area_fr = area->str(0);
    whole.area_en = area->str(1);
    out.push_back(whole);
    for (const auto& r : tx.query("SELECT a.id, a.reference, a.title_fr, a.title_en FROM agreements a WHERE a.sda_id = ? AND "
                                  "a.kind = 'partnership' AND " +
                                      std::string(statuses) + " ORDER BY a.reference, a.id",
                                  {sda_id})) {
        MaturitySubject s = whole;
        s.agreement_id = r.i64(0);
        s.reference = r.str(1);
        s.title_fr = r.str(2);
        s.title_en = r.str(3);
        out.push_back(std::move(s));
    }
    return out;
}

// A subject's key, for lists: (area, agreement or 0).
std::pair<std::int64_t, std::int64_t> key_of(const MaturitySubject& s) {
    return {s.sda_id, s.agreement_id.value_or(0)};
}

}  // namespace

bool MaturityRepo::may_manage() const {
    return static_cast<bool>(admin_area(ctx_));
}

Result<std::vector<SubjectOverview>> MaturityRepo::subjects() const {
    auto scope = reader_area(ctx_);
    if (!scope) return scope.error();
    const auto area = *scope;
    // Each subject's latest assessment: none of the same subject comes after it.
    std::string where =
        "WHERE NOT EXISTS (SELECT 1 FROM maturity_assessments n WHERE n.sda_id = m.sda_id AND (n.agreement_id = "
        "m.agreement_id OR (n.agreement_id IS NULL AND m.agreement_id IS NULL)) AND (n.assessed_on > m.assessed_on OR "
        "(n.assessed_on = m.assessed_on AND n.id > m.id)))";
    Params params;
    if (area) where += " AND m.sda_id = ?", params.emplace_back(*area);
    std::map<std::pair<std::int64_t, std::int64_t>, SubjectOverview> by_subject;
    for (auto& latest : summaries(ctx_.tx, where, params, "")) {
        SubjectOverview o;
        o.subject = latest.subject;
        o.latest = std::move(latest);
        by_subject[key_of(o.subject)] = std::move(o);
    }
    for (const auto& r : ctx_.tx.query("SELECT m.sda_id, COALESCE(m.agreement_id, 0), COUNT(*) FROM maturity_assessments m" +
                                           std::string(area ? " WHERE m.sda_id = ?" : "") + " GROUP BY m.sda_id, m.agreement_id",
                                       params)) {
        const auto it = by_subject.find({r.i64(0), r.i64(1)});
        if (it != by_subject.end()) it->second.assessments = static_cast<int>(r.i64(2));
    }
    // An administrator also sees their own area before its first assessment (its partnerships not
    // yet assessed are the form's choices: a large area has thousands).
    if (ctx_.actor->role == d::Role::ca_admin && area) {
        auto own = subjects_of_area(ctx_.tx, *area, no_agreement);
        if (!own.empty() && !by_subject.count(key_of(own.front()))) {
            SubjectOverview o;
            o.subject = std::move(own.front());
            by_subject[key_of(o.subject)] = std::move(o);
        }
    }
    std::vector<SubjectOverview> out;
    for (auto& [key, o] : by_subject) out.push_back(std::move(o));
    std::sort(out.begin(), out.end(), [](const SubjectOverview& a, const SubjectOverview& b) {
        const auto& x = a.subject;
        const auto& y = b.subject;
        return std::forward_as_tuple(x.area_en, x.sda_id, x.agreement_id.has_value(), x.reference, x.agreement_id.value_or(0)) <
               std::forward_as_tuple(y.area_en, y.sda_id, y.agreement_id.has_value(), y.reference, y.agreement_id.value_or(0));
    });
    return out;
}

Result<std::vector<MaturitySubject>> MaturityRepo::subject_choices() const {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    return subjects_of_area(ctx_.tx, *area, assessable);
}

Result<std::vector<AssessmentSummary>> MaturityRepo::history(std::int64_t sda_id,
                                                             std::optional<std::int64_t> agreement_id) const {
    auto scope = reader_area(ctx_);
    if (!scope) return scope.error();
    if (*scope && **scope != sda_id) return Error::not_found();
    if (!ctx_.tx.query_one("SELECT 1 FROM service_delivery_areas WHERE id = ?", {sda_id})) return Error::not_found();
    // One of the area's partnerships, or an agreement assessed as one (its kind changed since).
    if (agreement_id &&
        !ctx_.tx.query_one("SELECT 1 FROM agreements a WHERE a.id = ? AND a.sda_id = ? AND (a.kind = 'partnership' OR "
                           "EXISTS (SELECT 1 FROM maturity_assessments m WHERE m.agreement_id = a.id AND m.sda_id = a.sda_id))",
                           {*agreement_id, sda_id}))
        return Error::not_found();
    Params params;
    const std::string where = "WHERE " + subject_condition(sda_id, agreement_id, params);
    return summaries(ctx_.tx, where, params, " ORDER BY m.assessed_on, m.id");
}

Result<std::int64_t> MaturityRepo::create(const d::AssessmentForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    d::MaturityAssessment a;
    auto errors = d::validate(form, date_of(ctx_.clock.now()), a);
    // The subject against the area's partnerships, with the form's other errors: one round.
    const bool subject_error =
        std::any_of(errors.begin(), errors.end(), [](const FieldError& f) { return f.field == "subject"; });
    if (a.agreement_id && !subject_error &&
        !ctx_.tx.query_one("SELECT 1 FROM agreements a WHERE a.id = ? AND a.sda_id = ? AND a.kind = 'partnership' AND " +
                               std::string(assessable),
                           {*a.agreement_id, *area}))
        errors.push_back({"subject", "field.choose_from_list", {}});
    if (!errors.empty()) return Error::invalid(std::move(errors));
    const auto score = d::score(a.answers, a.marks);
    const std::string now = format_iso(ctx_.clock.now());
    const auto row = ctx_.tx.query_one(
        "INSERT INTO maturity_assessments (sda_id, agreement_id, assessed_on, summary, score_tenths, stage, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*area, opt(a.agreement_id), a.assessed_on.iso(), a.summary, static_cast<std::int64_t>(score.tenths),
         std::string(d::code(score.stage)), now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    for (const auto& answer : a.answers)
        ctx_.tx.exec(
            "INSERT INTO maturity_answers (assessment_id, dimension, level, evidence) VALUES (?, ?, ?, ?)",
            {id, std::string(d::code(answer.dimension)), static_cast<std::int64_t>(d::rank(answer.level)), answer.evidence});
    for (const auto& mark : a.marks)
        ctx_.tx.exec("INSERT INTO maturity_marks (assessment_id, mark, held, evidence) VALUES (?, ?, ?, ?)",
                     {id, std::string(d::code(mark.mark)), static_cast<std::int64_t>(mark.held ? 1 : 0), mark.evidence});
    return id;
}

Result<AssessmentRecord> MaturityRepo::assessment(std::int64_t id) const {
    auto scope = reader_area(ctx_);
    if (!scope) return scope.error();
    std::string where = "WHERE m.id = ?";
    Params params = {id};
    if (*scope) where += " AND m.sda_id = ?", params.emplace_back(**scope);
    auto found = summaries(ctx_.tx, where, params, "");
    if (found.empty()) return Error::not_found();
    AssessmentRecord out;
    out.summary = std::move(found.front());
    const auto& subject = out.summary.subject;
    const auto body = ctx_.tx.query_one("SELECT summary, created_at FROM maturity_assessments WHERE id = ?", {id});
    out.assessment.summary = body->str(0);
    out.created_at = body->str(1);
    out.assessment.assessed_on = parse_date(out.summary.assessed_on).value_or(Date{});
    out.assessment.agreement_id = subject.agreement_id;

    std::map<std::string, std::pair<int, std::string>> answers;  // dimension -> rank, evidence
    for (const auto& r : ctx_.tx.query("SELECT dimension, level, evidence FROM maturity_answers WHERE assessment_id = ?", {id}))
        answers[r.str(0)] = {static_cast<int>(r.i64(1)), r.str(2)};
    for (auto dimension : d::all_maturity_dimensions()) {
        d::MaturityAnswer answer;
        answer.dimension = dimension;
        if (const auto it = answers.find(std::string(d::code(dimension))); it != answers.end()) {
            answer.level = d::level_of_rank(it->second.first).value_or(d::MaturityLevel::fragmented);
            answer.evidence = it->second.second;
        }
        out.assessment.answers.push_back(std::move(answer));
    }
    std::map<std::string, std::pair<bool, std::string>> marks;  // mark -> held, evidence
    for (const auto& r : ctx_.tx.query("SELECT mark, held, evidence FROM maturity_marks WHERE assessment_id = ?", {id}))
        marks[r.str(0)] = {r.boolean(1), r.str(2)};
    for (auto mark : d::all_integration_marks()) {
        d::MarkAnswer answer;
        answer.mark = mark;
        if (const auto it = marks.find(std::string(d::code(mark))); it != marks.end()) {
            answer.held = it->second.first;
            answer.evidence = it->second.second;
        }
        out.assessment.marks.push_back(std::move(answer));
    }

    // The same subject's assessment just before it in the history's order (date, then id).
    Params before;
    const std::string condition = subject_condition(subject.sda_id, subject.agreement_id, before);
    before.emplace_back(out.summary.assessed_on);
    before.emplace_back(out.summary.assessed_on);
    before.emplace_back(id);
    if (const auto previous = ctx_.tx.query_one("SELECT m.id FROM maturity_assessments m WHERE " + condition +
                                                    " AND (m.assessed_on < ? OR (m.assessed_on = ? AND m.id < ?)) ORDER BY "
                                                    "m.assessed_on DESC, m.id DESC LIMIT 1",
                                                before))
        out.previous = previous->i64(0);
    return out;
}

}  // namespace arrimage::store
