#include "features/reporting/store/report_repo.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = arrimage::domain;
using nlohmann::json;

namespace {

constexpr LifecycleTables report_tables{"quarterly_reports", "quarterly_report_events", "report_id"};

// Where each stream's events are, how they reach the area, and each field's column. Names come
// from this table, never from input (the definition's stream and field were checked against
// the domain's catalogue, and an unknown name here is refused again).
struct StreamSql {
    std::string_view stream;
    std::string_view from;  // FROM ... WHERE <area> = ?, with the events table as e
    std::vector<std::pair<std::string_view, std::string_view>> fields;
};
const std::vector<StreamSql> stream_sql = {
    {"referral",
     "referral_events e JOIN referrals r ON r.id = e.referral_id WHERE r.sda_id = ?",
     {{"source", "r.source"}, {"organisation", "CAST(r.organisation_id AS TEXT)"}}},
    // As of the event, so that counting a quarter again gives the same figures whatever happened
    // to the intake since: the reason a closure's event row names first (store::IntakeRepo::close
    // writes "reason" or "reason — note"), and the organisation of the latest assignment begun by
    // then (a closure ends the assignment in the same second as its event).
    {"intake",
     "intake_events e JOIN intakes r ON r.id = e.intake_id WHERE r.sda_id = ?",
     {{"close_reason", "close_reason"},
      {"organisation",
       "(SELECT CAST(a.organisation_id AS TEXT) FROM intake_assignments a WHERE a.intake_id = r.id AND a.from_at <= e.at "
       "ORDER BY a.from_at DESC, a.id DESC LIMIT 1)"}}},
    {"plan", "plan_events e JOIN plans p ON p.id = e.plan_id JOIN people r ON r.id = p.person_id WHERE r.sda_id = ?", {}},
    {"concern",
     "family_concern_events e JOIN family_concerns c ON c.id = e.concern_id JOIN people r ON r.id = c.person_id "
     "WHERE r.sda_id = ?",
     {{"kind", "c.kind"}, {"addressed_to", "c.addressed_to"}}},
    // A complaint's source and kind are set when it is received and never change.
    {"complaint",
     "complaint_events e JOIN complaints r ON r.id = e.complaint_id WHERE r.sda_id = ?",
     {{"source", "r.source"}, {"kind", "r.kind"}}},
};

// A closure's reason as its event row names it: one of the catalogue's codes, the whole note or
// its first word (compared exactly: LIKE would fold case on SQLite and take "_" as a wildcard);
// any other event has none.
std::string close_reason_of_event() {
    std::string out = "CASE WHEN e.event <> 'close' THEN ''";
    for (auto code : *d::field_codes("intake", "close_reason")) {
        const std::string c(code);
        out += " WHEN e.note = '" + c + "' OR substr(e.note, 1, " + std::to_string(c.size() + 1) + ") = '" + c + " ' THEN '" + c +
               "'";
    }
    return out + " ELSE '' END";
}

d::IndicatorDefinition indicator_of(const Row& r) {
    d::IndicatorDefinition x;
    x.id = r.i64(0);
    x.code = r.str(1);
    x.name_fr = r.str(2);
    x.name_en = r.str(3);
    x.stream = r.str(4);
    x.event = r.str(5);
    x.breakdown = r.str(6);
    x.active = r.i64(7) != 0;
    return x;
}

constexpr std::string_view indicator_columns = "id, code, name_fr, name_en, stream, event, breakdown, active";

json cell_json(const std::optional<std::int64_t>& v) {
    return v ? json(*v) : json(nullptr);
}
std::optional<std::int64_t> cell_of(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<std::int64_t>();
}

json row_json(const d::ReportRow& r) {
    json months = json::array();
    for (const auto& m : r.months) months.push_back(cell_json(m));
    return {
        {"code", r.code}, {"label_fr", r.label_fr}, {"label_en", r.label_en}, {"months", months}, {"total", cell_json(r.total)}};
}
d::ReportRow row_of(const json& j) {
    d::ReportRow r;
    r.code = j.at("code").get<std::string>();
    r.label_fr = j.at("label_fr").get<std::string>();
    r.label_en = j.at("label_en").get<std::string>();
    for (const auto& m : j.at("months")) r.months.push_back(cell_of(m));
    r.total = cell_of(j.at("total"));
    return r;
}

ReportSummary summary_of(const Row& r) {
    ReportSummary s;
    s.id = r.i64(0);
    s.sda_id = r.i64(1);
    s.area_fr = r.str(2);
    s.area_en = r.str(3);
    s.quarter = {static_cast<int>(r.i64(4)), static_cast<int>(r.i64(5))};
    s.status = d::parse_report_status(r.str(6)).value_or(d::ReportStatus::draft);
    s.generated_at = r.str(7);
    s.submitted_at = r.str(8);
    s.hash = r.str(9);
    return s;
}

constexpr std::string_view summary_select =
    "SELECT q.id, q.sda_id, a.name_fr, a.name_en, q.year, q.quarter, q.status, q.generated_at, q.submitted_at, q.hash "
    "FROM quarterly_reports q JOIN service_delivery_areas a ON a.id = q.sda_id ";

// The area's indicators (see ReportRepo::indicators).
std::vector<d::IndicatorDefinition> area_indicators(Tx& tx, std::int64_t sda_id) {
    std::vector<d::IndicatorDefinition> out;
    const auto own =
        tx.query("SELECT " + std::string(indicator_columns) + " FROM indicators WHERE sda_id = ? ORDER BY id", {sda_id});
    for (const auto& r :
         tx.query("SELECT " + std::string(indicator_columns) + " FROM indicators WHERE sda_id IS NULL ORDER BY id")) {
        auto it = std::find_if(own.begin(), own.end(), [&](const Row& o) { return o.str(1) == r.str(1); });
        out.push_back(indicator_of(it == own.end() ? r : *it));
    }
    for (const auto& o : own)
        if (std::none_of(out.begin(), out.end(), [&](const d::IndicatorDefinition& x) { return x.code == o.str(1); }))
            out.push_back(indicator_of(o));
    return out;
}

// Another active indicator of `all` counting the same events as `x`, or nullptr. Two tables of
// one report counting the same events share their totals row and grand total, and each one's
// complementary suppression could show what the other hides: a report counts each kind of event
// once, broken down one way.
const d::IndicatorDefinition* counting_the_same(const std::vector<d::IndicatorDefinition>& all, const d::IndicatorDefinition& x) {
    for (const auto& i : all)
        if (i.active && i.code != x.code && i.stream == x.stream && i.event == x.event) return &i;
    return nullptr;
}

}  // namespace

std::vector<d::CountedRow> count_events(Tx& tx, std::int64_t sda_id, const d::IndicatorDefinition& indicator,
                                        const d::Period& q) {
    auto s = std::find_if(stream_sql.begin(), stream_sql.end(), [&](const StreamSql& x) { return x.stream == indicator.stream; });
    if (s == stream_sql.end()) throw std::invalid_argument("unknown indicator stream");
    std::string field = "''";
    if (!indicator.breakdown.empty()) {
        auto f = std::find_if(s->fields.begin(), s->fields.end(), [&](const auto& x) { return x.first == indicator.breakdown; });
        if (f == s->fields.end()) throw std::invalid_argument("unknown indicator field");
        field = f->second == "close_reason" ? close_reason_of_event() : "COALESCE(" + std::string(f->second) + ", '')";
    }
    const auto& months = q.months;
    std::map<std::string, d::CountedRow> by_value;
    for (const auto& r : tx.query("SELECT substr(e.at, 1, 7), " + field + ", COUNT(*) FROM " + std::string(s->from) +
                                      " AND e.event = ? AND e.at >= ? AND e.at < ? GROUP BY 1, 2",
                                  {sda_id, indicator.event, q.start(), q.end()})) {
        auto m = std::find(months.begin(), months.end(), r.str(0));
        if (m == months.end()) continue;
        auto& row = by_value[r.str(1)];
        row.code = r.str(1);
        row.months.resize(months.size(), 0);
        row.months[static_cast<std::size_t>(m - months.begin())] += r.i64(2);
    }
    std::vector<d::CountedRow> out;
    for (auto& [value, row] : by_value) {
        if (indicator.breakdown == "organisation" && !value.empty()) {
            if (auto o = tx.query_one("SELECT name_fr, name_en FROM organisations WHERE id = ?", {std::stoll(value)})) {
                row.label_fr = o->str(0);
                row.label_en = o->str(1);
            }
        }
        out.push_back(std::move(row));
    }
    if (indicator.breakdown == "organisation")
        std::sort(out.begin(), out.end(), [](const d::CountedRow& a, const d::CountedRow& b) {
            return std::tie(a.label_en, a.code) < std::tie(b.label_en, b.code);
        });
    return out;
}

std::string snapshot_json(const std::vector<d::ReportTable>& tables, const d::Quarter& q, int threshold) {
    json out = {{"year", q.year}, {"quarter", q.quarter}, {"threshold", threshold}, {"tables", json::array()}};
    for (const auto& t : tables) {
        json rows = json::array();
        for (const auto& r : t.rows) rows.push_back(row_json(r));
        out["tables"].push_back({{"code", t.indicator.code},
                                 {"name_fr", t.indicator.name_fr},
                                 {"name_en", t.indicator.name_en},
                                 {"stream", t.indicator.stream},
                                 {"event", t.indicator.event},
                                 {"breakdown", t.indicator.breakdown},
                                 {"months", t.months},
                                 {"rows", rows},
                                 {"totals", row_json(t.totals)},
                                 {"hidden", t.hidden}});
    }
    return out.dump();
}

std::vector<d::ReportTable> tables_of_snapshot(const std::string& snapshot) {
    const json in = json::parse(snapshot);
    std::vector<d::ReportTable> out;
    for (const auto& t : in.at("tables")) {
        d::ReportTable x;
        x.indicator.code = t.at("code").get<std::string>();
        x.indicator.name_fr = t.at("name_fr").get<std::string>();
        x.indicator.name_en = t.at("name_en").get<std::string>();
        x.indicator.stream = t.at("stream").get<std::string>();
        x.indicator.event = t.at("event").get<std::string>();
        x.indicator.breakdown = t.at("breakdown").get<std::string>();
        x.months = t.at("months").get<std::vector<std::string>>();
        for (const auto& r : t.at("rows")) x.rows.push_back(row_of(r));
        x.totals = row_of(t.at("totals"));
        x.hidden = t.at("hidden").get<int>();
        out.push_back(std::move(x));
    }
    return out;
}

bool ReportRepo::analyst() const {
    return ctx_.actor && ctx_.actor->role == d::Role::ministry_analyst;
}

Result<std::int64_t> ReportRepo::admin_area() const {
    if (!ctx_.actor || ctx_.actor->role != d::Role::ca_admin) return Error::forbidden();
    const auto sda = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id});
    if (!sda) return Error::forbidden();
    return sda->i64(0);
}

Result<std::vector<d::IndicatorDefinition>> ReportRepo::indicators() const {
    auto area = admin_area();
    if (!area) return area.error();
    return area_indicators(ctx_.tx, *area);
}

Result<std::int64_t> ReportRepo::add_indicator(const d::IndicatorForm& form) {
    auto area = admin_area();
    if (!area) return area.error();
    d::IndicatorDefinition x;
    if (auto e = d::validate(form, x); !e.empty()) return Error::invalid(std::move(e));
    ctx_.tx.lock("indicators");
    const auto existing = area_indicators(ctx_.tx, *area);
    if (std::any_of(existing.begin(), existing.end(), [&](const d::IndicatorDefinition& i) { return i.code == x.code; }))
        return Error::invalid_field("code", "report.code_taken");
    if (const auto* same = counting_the_same(existing, x))
        return Error::invalid_field("event", "report.same_events", {same->code});
    auto row = ctx_.tx.query_one(
        "INSERT INTO indicators (sda_id, code, name_fr, name_en, stream, event, breakdown, active, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        {*area, x.code, x.name_fr, x.name_en, x.stream, x.event, x.breakdown, format_iso(ctx_.clock.now()), ctx_.actor->user_id});
    if (!row) return Error::invalid_field("code", "report.code_taken");
    return row->i64(0);
}

Result<void> ReportRepo::set_indicator_active(const std::string& code, bool active) {
    auto area = admin_area();
    if (!area) return area.error();
    ctx_.tx.lock("indicators");
    const auto all = area_indicators(ctx_.tx, *area);
    auto it = std::find_if(all.begin(), all.end(), [&](const d::IndicatorDefinition& i) { return i.code == code; });
    if (it == all.end()) return Error::not_found();
    if (active && !it->active) {
        if (const auto* same = counting_the_same(all, *it)) {
            Error e = Error::conflict("report.same_events");
            e.args = {same->code};
            return e;
        }
    }
    const std::string at = format_iso(ctx_.clock.now());
    if (ctx_.tx.exec("UPDATE indicators SET active = ?, updated_at = ?, updated_by = ? WHERE sda_id = ? AND code = ?",
                     {std::int64_t{active}, at, ctx_.actor->user_id, *area, code}) == 0)
        ctx_.tx.exec(
            "INSERT INTO indicators (sda_id, code, name_fr, name_en, stream, event, breakdown, active, updated_at, "
            "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {*area, it->code, it->name_fr, it->name_en, it->stream, it->event, it->breakdown, std::int64_t{active}, at,
             ctx_.actor->user_id});
    return {};
}

Result<std::vector<ReportSummary>> ReportRepo::reports() const {
    std::vector<Row> rows;
    if (analyst()) {
        rows = ctx_.tx.query(std::string(summary_select) +
                             "WHERE q.status = 'submitted' ORDER BY q.year DESC, q.quarter DESC, a.name_en, q.id");
    } else {
        auto area = admin_area();
        if (!area) return area.error();
        rows = ctx_.tx.query(std::string(summary_select) + "WHERE q.sda_id = ? ORDER BY q.year DESC, q.quarter DESC", {*area});
    }
    std::vector<ReportSummary> out;
    for (const auto& r : rows) out.push_back(summary_of(r));
    return out;
}

Result<Dashboard> ReportRepo::dashboard(const d::PeriodForm& form) const {
    auto area = admin_area();
    if (!area) return area.error();
    Dashboard out;
    if (auto e = d::validate(form, format_iso(ctx_.clock.now()).substr(0, 10), out.period); !e.empty())
        return Error::invalid(std::move(e));
    const auto names = ctx_.tx.query_one("SELECT name_fr, name_en FROM service_delivery_areas WHERE id = ?", {*area});
    out.area_fr = names->str(0);
    out.area_en = names->str(1);
    for (const auto& i : area_indicators(ctx_.tx, *area)) {
        if (!i.active) continue;
        DashboardSeries s;
        s.indicator = i;
        s.rows = count_events(ctx_.tx, *area, i, out.period);
        s.totals.assign(out.period.months.size(), 0);
        for (const auto& r : s.rows)
            for (std::size_t m = 0; m < s.totals.size() && m < r.months.size(); ++m) s.totals[m] += r.months[m];
        out.series.push_back(std::move(s));
    }
    return out;
}

Result<std::int64_t> ReportRepo::generate(const d::QuarterForm& form) {
    auto area = admin_area();
    if (!area) return area.error();
    d::Quarter q;
    const std::string now = format_iso(ctx_.clock.now());
    if (auto e = d::validate(form, now.substr(0, 10), q); !e.empty()) return Error::invalid(std::move(e));
    const int threshold = d::default_suppression_threshold;
    // One writer of the area's reports at a time (two first generations of a quarter; a
    // submission hashing the snapshot while another request generates it again).
    ctx_.tx.lock("quarterly_reports");
    std::vector<d::ReportTable> tables;
    for (const auto& i : area_indicators(ctx_.tx, *area))
        if (i.active) tables.push_back(d::build_table(i, q, count_events(ctx_.tx, *area, i, q), threshold));
    const std::string snapshot = snapshot_json(tables, q, threshold);

    const auto existing =
        ctx_.tx.query_one("SELECT id, status FROM quarterly_reports WHERE sda_id = ? AND year = ? AND quarter = ?",
                          {*area, std::int64_t{q.year}, std::int64_t{q.quarter}});
    if (existing) {
        // Regenerated only while a draft (compare-and-set: a review meanwhile wins).
        if (existing->str(1) != "draft" ||
            ctx_.tx.exec("UPDATE quarterly_reports SET snapshot = ?, threshold = ?, generated_at = ?, generated_by = ?, "
                         "updated_at = ? WHERE id = ? AND status = 'draft'",
                         {snapshot, std::int64_t{threshold}, now, ctx_.actor->user_id, now, existing->i64(0)}) == 0)
            return Error::conflict("report.not_draft");
        ctx_.tx.exec(
            "INSERT INTO quarterly_report_events (report_id, at, user_id, event, status) VALUES (?, ?, ?, 'generate', 'draft')",
            {existing->i64(0), now, ctx_.actor->user_id});
        return existing->i64(0);
    }
    const auto id = ctx_.tx
                        .query_one(
                            "INSERT INTO quarterly_reports (sda_id, year, quarter, status, threshold, snapshot, "
                            "generated_at, generated_by, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id",
                            {*area, std::int64_t{q.year}, std::int64_t{q.quarter}, std::int64_t{threshold}, snapshot, now,
                             ctx_.actor->user_id, now})
                        ->i64(0);
    ctx_.tx.exec(
        "INSERT INTO quarterly_report_events (report_id, at, user_id, event, status) VALUES (?, ?, ?, 'generate', 'draft')",
        {id, now, ctx_.actor->user_id});
    return id;
}

Result<ReportRecord> ReportRepo::report(std::int64_t id) const {
    std::optional<Row> row;
    if (analyst()) {
        row = ctx_.tx.query_one(std::string(summary_select) + "WHERE q.id = ? AND q.status = 'submitted'", {id});
    } else {
        auto area = admin_area();
        if (!area) return area.error();
        row = ctx_.tx.query_one(std::string(summary_select) + "WHERE q.id = ? AND q.sda_id = ?", {id, *area});
    }
    if (!row) return Error::not_found();
    ReportRecord out;
    out.summary = summary_of(*row);
    const auto body = ctx_.tx.query_one("SELECT threshold, snapshot FROM quarterly_reports WHERE id = ?", {id});
    out.threshold = static_cast<int>(body->i64(0));
    out.snapshot = body->str(1);
    out.tables = tables_of_snapshot(out.snapshot);
    if (!analyst()) out.available = d::report_lifecycle().available(out.summary.status, d::Relationship::coordinating_agency, {});
    return out;
}

Result<d::ReportStatus> ReportRepo::fire(std::int64_t id, d::ReportEvent event) {
    auto area = admin_area();
    if (!area) return area.error();
    ctx_.tx.lock("quarterly_reports");  // the snapshot hashed is the one submitted (see generate)
    const auto row = ctx_.tx.query_one("SELECT status, snapshot FROM quarterly_reports WHERE id = ? AND sda_id = ?", {id, *area});
    if (!row) return Error::not_found();
    const auto from = d::parse_report_status(row->str(0));
    if (!from) return Error::internal();
    std::vector<std::pair<std::string_view, Value>> also;
    if (event == d::ReportEvent::submit) {
        also.emplace_back("hash", hash_token(row->str(1)));
        also.emplace_back("submitted_at", format_iso(ctx_.clock.now()));
        also.emplace_back("submitted_by", ctx_.actor->user_id);
    }
    return fire_transition(ctx_.tx, ctx_.clock, report_tables, d::report_lifecycle(), id, *from, event,
                           d::Relationship::coordinating_agency, d::ReportFacts{}, ctx_.actor->user_id, {}, std::move(also));
}

}  // namespace arrimage::store
