#include "features/network/store/tool_repo.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/network/store/reader_area.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::admin_area;
using network_area::area_of;

// The providers (see the header): organisations `o`, as a condition.
constexpr const char* provider_where =
    " o.active = 1 AND EXISTS (SELECT 1 FROM organisation_csp_roles c WHERE c.organisation_id = o.id AND c.csp_role IN "
    "('csp_provider', 'csp_participant')) ";

constexpr const char* summary_select =
    "SELECT t.id, t.title_fr, t.title_en, t.kind, t.mandatory, t.retired, t.version_label, t.version_set_on, s.name_fr, "
    "s.name_en, t.sda_id, (SELECT COUNT(*) FROM tool_files f WHERE f.tool_id = t.id AND f.lang = 'fr'), (SELECT COUNT(*) "
    "FROM tool_files f WHERE f.tool_id = t.id AND f.lang = 'en') FROM tools t JOIN service_delivery_areas s ON s.id = "
    "t.sda_id ";

ToolSummary summary_of(const Row& r) {
    ToolSummary s;
    s.id = r.i64(0);
    s.title_fr = r.str(1);
    s.title_en = r.str(2);
    s.kind = d::parse_tool_kind(r.str(3)).value_or(d::ToolKind::other);
    s.mandatory = r.boolean(4);
    s.retired = r.boolean(5);
    s.version_label = r.str(6);
    s.version_set_on = r.str(7);
    s.area_fr = r.str(8);
    s.area_en = r.str(9);
    s.file_fr = r.i64(11) > 0;
    s.file_en = r.i64(12) > 0;
    return s;
}

// What the reader sees of the libraries: the tools of `area` (none: every area, for the
// ministry's analyst). `admin`: the reader keeps them (a ca_admin).
struct Reach {
    std::optional<std::int64_t> area;
    bool admin = false;
    bool analyst = false;
};

Result<Reach> reach_of(const AccessContext& ctx) {
    if (!ctx.actor) return Error::forbidden();
    switch (ctx.actor->role) {
        case d::Role::ca_admin:
        case d::Role::provider_manager:
        case d::Role::coordinator:
        case d::Role::participant_staff: {
            auto area = area_of(ctx);
            if (!area) return area.error();
            return Reach{*area, ctx.actor->role == d::Role::ca_admin, false};
        }
        case d::Role::ministry_analyst:
            return Reach{std::nullopt, false, true};
        default:
            return Error::forbidden();
    }
}

// The tool's row (summary_select) for the reader, or NotFound when the reader may not see it.
Result<Row> readable(const AccessContext& ctx, const Reach& reach, std::int64_t id) {
    Params params{id};
    std::string sql = std::string(summary_select) + "WHERE t.id = ?";
    if (reach.area) {
        sql += " AND t.sda_id = ?";
        params.emplace_back(*reach.area);
    }
    auto row = ctx.tx.query_one(sql, params);
    if (!row) return Error::not_found();
    return std::move(*row);
}

// Whether `organisation` is one of the providers of `area`.
bool is_provider(Tx& tx, std::int64_t organisation, std::int64_t area) {
    return static_cast<bool>(tx.query_one(
        "SELECT 1 FROM organisations o WHERE o.id = ? AND o.sda_id = ? AND" + std::string(provider_where), {organisation, area}));
}

// Serialises the writers of one tool (each reads its version or its label, then writes).
void lock_tool(Tx& tx, std::int64_t id) {
    tx.lock("tool:" + std::to_string(id));
}

// The administrator's tool `id` at the version the form was shown with: NotFound outside their
// area, Conflict when it changed since. Locked until the transaction ends.
Result<void> current(const AccessContext& ctx, std::int64_t area, std::int64_t id, int version) {
    lock_tool(ctx.tx, id);
    const auto row = ctx.tx.query_one("SELECT version FROM tools WHERE id = ? AND sda_id = ?", {id, area});
    if (!row) return Error::not_found();
    // A form filled in over other terms is out of date before it is wrong.
    if (row->i64(0) != version) return Error::conflict("network.tools.changed_meanwhile");
    return {};
}

// One organisation's adoptions of one tool.
struct Adopted {
    std::string label, on, by;
};

// The adoption a table shows: the current label's when it was adopted, else the latest (by day,
// then label).
const Adopted* shown(const std::vector<Adopted>& list, const std::string& current_label) {
    const Adopted* out = nullptr;
    for (const auto& a : list) {
        if (a.label == current_label) return &a;
        if (!out || std::tie(a.on, a.label) > std::tie(out->on, out->label)) out = &a;
    }
    return out;
}

d::AdoptionStanding standing_of(const std::vector<Adopted>& list, const std::string& current_label) {
    std::vector<std::string> labels;
    labels.reserve(list.size());
    for (const auto& a : list) labels.push_back(a.label);
    return d::adoption_standing(labels, current_label);
}

// The adoptions of the tools `tools_sql` selects (with `params`): (tool, organisation) -> rows.
using AdoptionMap = std::map<std::pair<std::int64_t, std::int64_t>, std::vector<Adopted>>;
AdoptionMap adoptions_of(Tx& tx, const std::string& tools_sql, const Params& params, bool with_names) {
    AdoptionMap out;
    for (const auto& r : tx.query("SELECT a.tool_id, a.organisation_id, a.version_label, a.adopted_on, COALESCE(u.display_name, "
                                  "'') FROM tool_adoptions a LEFT JOIN users u ON u.id = a.adopted_by WHERE a.tool_id IN (" +
                                      tools_sql + ")",
                                  params))
        out[{r.i64(0), r.i64(1)}].push_back({r.str(2), r.str(3), with_names ? r.str(4) : std::string()});
    return out;
}

const std::vector<Adopted>& adopted_in(const AdoptionMap& map, std::int64_t tool, std::int64_t organisation) {
    static const std::vector<Adopted> none;
    const auto it = map.find({tool, organisation});
    return it == map.end() ? none : it->second;
}

}  // namespace

bool ToolRepo::may_manage() const {
    return static_cast<bool>(admin_area(ctx_));
}

bool ToolRepo::may_read_adoption() const {
    if (!ctx_.actor) return false;
    if (ctx_.actor->role == d::Role::ministry_analyst) return true;
    return may_manage();
}

Result<std::vector<ToolSummary>> ToolRepo::list(const d::ToolFilter& filter) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::string where = "WHERE 1 = 1";
    Params params;
    if (reach->area) where += " AND t.sda_id = ?", params.emplace_back(*reach->area);
    if (filter.kind) where += " AND t.kind = ?", params.emplace_back(std::string(d::code(*filter.kind)));
    if (filter.mandatory) where += " AND t.mandatory = ?", params.emplace_back(std::int64_t{*filter.mandatory ? 1 : 0});
    if (!filter.include_retired) where += " AND t.retired = 0";
    std::vector<ToolSummary> out;
    for (const auto& r : ctx_.tx.query(std::string(summary_select) + where + " ORDER BY t.title_en, t.id", params))
        out.push_back(summary_of(r));

    // The reader's own organisation's standings, when it is one of the area's providers.
    if (out.empty() || reach->analyst || !is_provider(ctx_.tx, ctx_.actor->organisation_id, *reach->area)) return out;
    std::map<std::int64_t, std::vector<Adopted>> own;
    for (const auto& r : ctx_.tx.query("SELECT a.tool_id, a.version_label, a.adopted_on FROM tool_adoptions a JOIN tools t ON "
                                       "t.id = a.tool_id WHERE a.organisation_id = ? AND t.sda_id = ?",
                                       {ctx_.actor->organisation_id, *reach->area}))
        own[r.i64(0)].push_back({r.str(1), r.str(2), {}});
    for (auto& s : out)
        if (s.mandatory) s.own = standing_of(own[s.id], s.version_label);
    return out;
}

Result<std::int64_t> ToolRepo::create(const d::ToolForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    d::ToolTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    const TimePoint now = ctx_.clock.now();
    const std::string stamp = format_iso(now);
    const auto row = ctx_.tx.query_one(
        "INSERT INTO tools (sda_id, title_fr, title_en, description_fr, description_en, kind, mandatory, version_label, "
        "version_set_on, retired, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, "
        "1, ?, ?, ?, ?) RETURNING id",
        {*area, terms.title_fr, terms.title_en, terms.description_fr, terms.description_en, std::string(d::code(terms.kind)),
         std::int64_t{terms.mandatory ? 1 : 0}, terms.version_label, date_of(now).iso(), stamp, ctx_.actor->user_id, stamp,
         ctx_.actor->user_id});
    return row->i64(0);
}

Result<ToolRecord> ToolRepo::tool(std::int64_t id) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    auto row = readable(ctx_, *reach, id);
    if (!row) return row.error();
    const std::int64_t area = row->i64(10);
    ToolRecord out;
    out.summary = summary_of(*row);
    const auto& s = out.summary;

    const auto body = ctx_.tx.query_one("SELECT description_fr, description_en, version FROM tools WHERE id = ?", {id});
    auto& t = out.terms;
    t.title_fr = s.title_fr;
    t.title_en = s.title_en;
    t.description_fr = body->str(0);
    t.description_en = body->str(1);
    t.kind = s.kind;
    t.mandatory = s.mandatory;
    t.version_label = s.version_label;
    out.version = static_cast<int>(body->i64(2));

    // The analyst reads the files, never who uploaded them.
    for (const auto& r : ctx_.tx.query("SELECT f.lang, f.filename, f.content_type, f.size, f.checksum, f.version_label, "
                                       "f.uploaded_at, COALESCE(u.display_name, '') FROM tool_files f LEFT JOIN users u ON "
                                       "u.id = f.uploaded_by WHERE f.tool_id = ?",
                                       {id})) {
        const auto lang = parse_lang(r.str(0));
        if (!lang) continue;
        out.files.push_back(
            {*lang, r.str(1), r.str(2), r.i64(3), r.str(4), r.str(5), r.str(6), reach->analyst ? std::string() : r.str(7)});
    }
    std::sort(out.files.begin(), out.files.end(),
              [](const ToolFileInfo& a, const ToolFileInfo& b) { return a.lang == Lang::fr && b.lang == Lang::en; });

    const bool own_provider = !reach->analyst && is_provider(ctx_.tx, ctx_.actor->organisation_id, area);
    if (s.mandatory && (reach->admin || reach->analyst || own_provider)) {
        std::string sql =
            "SELECT o.id, o.name_fr, o.name_en FROM organisations o WHERE o.sda_id = ? AND" + std::string(provider_where);
        Params params{area};
        if (!reach->admin && !reach->analyst) sql += " AND o.id = ?", params.emplace_back(ctx_.actor->organisation_id);
        const auto adopted = adoptions_of(ctx_.tx, "?", {id}, !reach->analyst);
        for (const auto& r : ctx_.tx.query(sql + " ORDER BY o.name_en, o.id", params)) {
            const auto& list = adopted_in(adopted, id, r.i64(0));
            ToolAdoptionRow a{r.i64(0), r.str(1), r.str(2), standing_of(list, s.version_label), {}, {}, {}};
            if (const auto* at = shown(list, s.version_label)) {
                a.adopted_label = at->label;
                a.adopted_on = at->on;
                a.adopted_by = at->by;
            }
            if (r.i64(0) == ctx_.actor->organisation_id && !reach->analyst) out.summary.own = a.standing;
            out.adoptions.push_back(std::move(a));
        }
    }
    out.may_edit = reach->admin;
    out.may_adopt = ctx_.actor->role == d::Role::provider_manager && own_provider && s.mandatory && !s.retired &&
                    out.summary.own != d::AdoptionStanding::adopted_current;
    return out;
}

Result<void> ToolRepo::update(std::int64_t id, int version, const d::ToolForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    if (auto at = current(ctx_, *area, id, version); !at) return at.error();
    d::ToolTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    const TimePoint now = ctx_.clock.now();
    // A new label is a new current version from today; the same label keeps its day.
    const auto changed = ctx_.tx.exec(
        "UPDATE tools SET title_fr = ?, title_en = ?, description_fr = ?, description_en = ?, kind = ?, mandatory = ?, "
        "version_set_on = CASE WHEN version_label = ? THEN version_set_on ELSE ? END, version_label = ?, version = version + 1, "
        "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        {terms.title_fr, terms.title_en, terms.description_fr, terms.description_en, std::string(d::code(terms.kind)),
         std::int64_t{terms.mandatory ? 1 : 0}, terms.version_label, date_of(now).iso(), terms.version_label, format_iso(now),
         ctx_.actor->user_id, id, std::int64_t{version}});
    if (changed != 1) return Error::conflict("network.tools.changed_meanwhile");
    return {};
}

Result<void> ToolRepo::set_retired(std::int64_t id, int version, bool retired) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    if (auto at = current(ctx_, *area, id, version); !at) return at.error();
    ctx_.tx.exec("UPDATE tools SET retired = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                 {std::int64_t{retired ? 1 : 0}, format_iso(ctx_.clock.now()), ctx_.actor->user_id, id});
    return {};
}

Result<void> ToolRepo::attach_file(std::int64_t id, std::string_view lang, const std::string& filename, std::string_view data) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    lock_tool(ctx_.tx, id);
    const auto row = ctx_.tx.query_one("SELECT version_label FROM tools WHERE id = ? AND sda_id = ?", {id, *area});
    if (!row) return Error::not_found();

    std::vector<FieldError> e;
    const auto language = parse_lang(trim(lang));
    if (trim(lang).empty())
        e.push_back({"lang", "field.required", {}});
    else if (!language)
        e.push_back({"lang", "field.choose_from_list", {}});
    // The agreements' documents' checks: a tool's file is a document of the same kinds.
    d::DocumentCheck checked;
    for (auto& f : d::validate(d::DocumentUpload{std::string(d::code(d::DocumentKind::other)), filename, data}, checked))
        e.push_back(std::move(f));
    if (!e.empty()) return Error::invalid(std::move(e));

    const std::string code_of_lang(code(*language));
    ctx_.tx.exec("DELETE FROM tool_files WHERE tool_id = ? AND lang = ?", {id, code_of_lang});
    ctx_.tx.exec(
        "INSERT INTO tool_files (tool_id, lang, filename, content_type, size, checksum, content, version_label, uploaded_at, "
        "uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, code_of_lang, checked.filename, checked.content_type, static_cast<std::int64_t>(data.size()), hash_token(data),
         base64url(data), row->str(0), format_iso(ctx_.clock.now()), ctx_.actor->user_id});
    return {};
}

Result<ToolFileData> ToolRepo::file(std::int64_t id, std::string_view lang) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (auto row = readable(ctx_, *reach, id); !row) return row.error();
    const auto language = parse_lang(lang);
    if (!language) return Error::not_found();
    const auto f =
        ctx_.tx.query_one("SELECT filename, content_type, content, checksum FROM tool_files WHERE tool_id = ? AND lang = ?",
                          {id, std::string(code(*language))});
    if (!f) return Error::not_found();
    auto data = from_base64url(f->str(2));
    // Bytes that are not what was stored: never served.
    if (!data || hash_token(*data) != f->str(3)) return Error::internal();
    return ToolFileData{f->str(0), f->str(1), std::move(*data)};
}

Result<void> ToolRepo::adopt(std::int64_t id, const std::string& version_label) {
    if (!ctx_.actor || ctx_.actor->role != d::Role::provider_manager) return Error::forbidden();
    auto area = area_of(ctx_);
    if (!area) return area.error();
    lock_tool(ctx_.tx, id);
    const auto row =
        ctx_.tx.query_one("SELECT mandatory, retired, version_label FROM tools WHERE id = ? AND sda_id = ?", {id, *area});
    if (!row) return Error::not_found();
    const std::int64_t organisation = ctx_.actor->organisation_id;
    // An organisation that is not one of the area's providers has nothing to adopt.
    if (!is_provider(ctx_.tx, organisation, *area)) return Error::forbidden();
    if (!row->boolean(0)) return Error::conflict("network.tools.not_mandatory");
    if (row->boolean(1)) return Error::conflict("network.tools.retired");
    const std::string current_label = row->str(2);
    // The manager confirms the version they were shown; a new one came meanwhile.
    if (trim(version_label) != current_label) return Error::conflict("network.tools.version_changed");
    if (ctx_.tx.query_one("SELECT 1 FROM tool_adoptions WHERE tool_id = ? AND organisation_id = ? AND version_label = ?",
                          {id, organisation, current_label}))
        return Error::conflict("network.tools.already_adopted");
    ctx_.tx.exec(
        "INSERT INTO tool_adoptions (tool_id, organisation_id, version_label, adopted_on, adopted_by) VALUES (?, ?, ?, ?, ?)",
        {id, organisation, current_label, date_of(ctx_.clock.now()).iso(), ctx_.actor->user_id});
    return {};
}

Result<std::vector<AreaAdoption>> ToolRepo::adoption() const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->admin && !reach->analyst) return Error::forbidden();

    std::vector<AreaAdoption> out;
    std::map<std::int64_t, std::size_t> at;  // area id -> its place in `out`
    // The administrator's area, even without a mandatory tool; for the analyst, every area that
    // has one.
    std::string areas_sql = "SELECT s.id, s.name_fr, s.name_en FROM service_delivery_areas s WHERE ";
    Params area_params;
    if (reach->area)
        areas_sql += "s.id = ?", area_params.emplace_back(*reach->area);
    else
        areas_sql += "EXISTS (SELECT 1 FROM tools t WHERE t.sda_id = s.id AND t.mandatory = 1 AND t.retired = 0)";
    for (const auto& r : ctx_.tx.query(areas_sql + " ORDER BY s.name_en, s.id", area_params)) {
        at[r.i64(0)] = out.size();
        out.push_back({r.i64(0), r.str(1), r.str(2), {}, {}, 0, 0, 0});
    }
    if (out.empty()) return out;

    std::string tools_where = "WHERE t.mandatory = 1 AND t.retired = 0";
    std::string providers_where = "WHERE" + std::string(provider_where);
    Params params;
    if (reach->area) {
        tools_where += " AND t.sda_id = ?";
        providers_where += " AND o.sda_id = ?";
        params.emplace_back(*reach->area);
    }
    for (const auto& r : ctx_.tx.query(std::string(summary_select) + tools_where + " ORDER BY t.title_en, t.id", params)) {
        const auto it = at.find(r.i64(10));
        if (it != at.end()) out[it->second].tools.push_back({summary_of(r), 0, 0, 0});
    }
    for (const auto& r : ctx_.tx.query(
             "SELECT o.id, o.name_fr, o.name_en, o.sda_id FROM organisations o " + providers_where + " ORDER BY o.name_en, o.id",
             params)) {
        const auto it = at.find(r.i64(3));
        if (it != at.end()) out[it->second].providers.push_back({r.i64(0), r.str(1), r.str(2), {}, 0, 0, 0});
    }
    const auto adopted = adoptions_of(ctx_.tx, "SELECT t.id FROM tools t " + tools_where, params, false);

    for (auto& area : out) {
        for (auto& p : area.providers) {
            for (auto& tool : area.tools) {
                const auto& list = adopted_in(adopted, tool.tool.id, p.id);
                AdoptionCell cell{tool.tool.id, standing_of(list, tool.tool.version_label), {}};
                if (const auto* a = shown(list, tool.tool.version_label)) cell.adopted_label = a->label;
                switch (cell.standing) {
                    case d::AdoptionStanding::adopted_current:
                        ++p.current, ++tool.current, ++area.current;
                        break;
                    case d::AdoptionStanding::adopted_older:
                        ++p.older, ++tool.older, ++area.older;
                        break;
                    case d::AdoptionStanding::not_adopted:
                        ++p.none, ++tool.none, ++area.none;
                        break;
                }
                p.cells.push_back(std::move(cell));
            }
        }
    }
    return out;
}

}  // namespace arrimage::store
