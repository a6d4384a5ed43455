// The coordinated service plan on paper and across its versions (docs/PLAN.md):
// /children/{id}/plan/print is the plan as a page to print and /children/{id}/plan.pdf the same
// plan as a PDF, both made of one document (plan_document), so the two never say different
// things; /children/{id}/plan/versions puts two versions side by side, part by part, and says in
// words what changed between them. All three read in a read transaction through the plan's
// repository, decided and audited as the plan's page is, and like that page they name the
// file's number, not the child.
#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "features/plan/web/plan_common.hpp"
#include "features/plan/web/plan_document.hpp"
#include "features/plan/web/plan_pages.hpp"
#include "web/app.hpp"
#include "web/pdf.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
namespace d = domain;

namespace {

using people_pages::refused;
using plan_pages::action_line;
using plan_pages::file_id;
using plan_pages::is_withheld;
using plan_pages::not_allowed;
using plan_pages::owner_label;
using plan_pages::plan_document;
using plan_pages::plan_href;
using plan_pages::section_withheld;

// A file the reader may see that has no plan yet: nothing to print or compare.
http::Response no_plan(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error{Errc::NotFound, "plan.error.no_plan", {}, {}});
}

// The language asked for (?lang=fr|en; none: the reader's own). Anything else is a field error,
// answered before the plan is read.
Result<Lang> asked_language(Ctx& ctx) {
    const std::string asked = ctx.req.query_param("lang");
    if (asked.empty()) return ctx.lang;
    if (auto l = parse_lang(asked)) return *l;
    return Error::invalid_field("lang", "plan.print.error.lang");
}

std::string today(Ctx& ctx) {
    return date_of(ctx.app.clock().now()).iso();
}

// The plan to print: the file, the language asked and the plan as read (decided and audited), or
// the answer to give instead (a refusal, a bad language, no plan yet).
struct ToPrint {
    std::int64_t id = 0;
    Lang lang = Lang::en;
    store::PlanRecord plan;
};
std::variant<ToPrint, http::Response> to_print(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    auto l = asked_language(ctx);
    if (!l) return ctx.app.error_page(ctx, l.error());
    auto r = store::PlanRepo(*ctx.access).read(*id);
    if (!r) return refused(ctx, r.error());
    if (!r->withheld && !r->id) return no_plan(ctx);
    return ToPrint{*id, *l, std::move(*r)};
}

http::Response print_view(Ctx& ctx) {
    auto asked = to_print(ctx);
    if (auto* answer = std::get_if<http::Response>(&asked)) return std::move(*answer);
    const auto& [id, l, r] = std::get<ToPrint>(asked);
    ctx.lang = l;
    const auto doc = plan_document(ctx.app.catalogue(), l, r, today(ctx));
    const Lang other_lang = other(l);
    json model = {{"heading", doc.title},
                  {"blocks", printable_blocks(doc)},
                  {"back_href", plan_href(id)},
                  {"other_lang_href", plan_href(id) + "/print?lang=" + std::string(code(other_lang))},
                  {"other_lang_name", ctx.app.catalogue().t(other_lang, "lang.self")},
                  {"other_lang_code", std::string(code(other_lang))}};
    if (!r.withheld) model["pdf_href"] = plan_href(id) + ".pdf?lang=" + std::string(code(l));
    return ctx.app.print_page(ctx, "plan.title", "plan_print", model);
}

http::Response plan_pdf(Ctx& ctx) {
    auto asked = to_print(ctx);
    if (auto* answer = std::get_if<http::Response>(&asked)) return std::move(*answer);
    const auto& [id, l, r] = std::get<ToPrint>(asked);
    http::Response res;
    res.content_type = "application/pdf";
    res.set_header("Content-Disposition", "inline; filename=\"plan-" + std::to_string(id) + ".pdf\"");
    res.body = render_pdf(plan_document(ctx.app.catalogue(), l, r, today(ctx)));
    return res;
}

// ---- two versions side by side

// A version's plan as its snapshot keeps it (domain::snapshot()). "actions" is only in versions
// saved since the plan has actions: without it the version had none to show.
struct ShownGoal {
    std::int64_t id = 0;
    std::int64_t priority = 0;
    std::string text, expressed_by, progress;
};
struct ShownAction {
    std::int64_t id = 0, goal_id = 0;  // goal_id 0: the action serves no one goal
    std::string text, owner, due, status;
};
struct ShownPlan {
    std::string status;
    std::map<d::Section, std::string> sections;  // every section of all_sections(), "" when empty
    std::vector<ShownGoal> goals;
    std::optional<std::vector<ShownAction>> actions;
};

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t integer_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// The repository writes every snapshot from domain::snapshot(): text that is not a JSON object
// is corrupt data, an error (json::parse throws, the page is a 500), never an empty plan.
ShownPlan parse_snapshot(const std::string& snapshot) {
    const auto j = json::parse(snapshot);
    if (!j.is_object()) throw std::runtime_error("plan version: the snapshot is not an object");
    ShownPlan p;
    p.status = string_at(j, "status");
    const auto s = j.find("sections");
    for (auto sec : d::all_sections())
        p.sections[sec] = s != j.end() && s->is_object() ? string_at(*s, std::string(d::code(sec)).c_str()) : std::string();
    if (const auto g = j.find("goals"); g != j.end() && g->is_array())
        for (const auto& x : *g)
            p.goals.push_back({integer_at(x, "id"), integer_at(x, "priority"), string_at(x, "text"), string_at(x, "expressed_by"),
                               string_at(x, "progress")});
    if (const auto a = j.find("actions"); a != j.end() && a->is_array()) {
        p.actions.emplace();
        for (const auto& x : *a)
            p.actions->push_back({integer_at(x, "id"), integer_at(x, "goal_id"), string_at(x, "text"), string_at(x, "owner"),
                                  string_at(x, "due"), string_at(x, "status")});
    }
    return p;
}

template <typename T>
const T* by_id(const std::vector<T>& items, std::int64_t id) {
    for (const auto& x : items)
        if (x.id == id) return &x;
    return nullptr;
}

// The ids of both versions' items: the second version's in its order, then those only the first
// has, in the first's order (an item removed is shown after those kept).
template <typename T>
std::vector<std::int64_t> ids_of(const std::vector<T>& first, const std::vector<T>& second) {
    std::vector<std::int64_t> out;
    for (const auto& x : second) out.push_back(x.id);
    for (const auto& x : first)
        if (!by_id(second, x.id)) out.push_back(x.id);
    return out;
}

// One row of a comparison: a header cell, each version's value (a note in place of a value when
// there is none) and, in words, whether and how it changed.
json row(const std::string& label, const std::string& a, bool a_note, const std::string& b, bool b_note, bool changed,
         const std::string& difference) {
    return {{"label", label},          {"a", a}, {"a_note", a_note}, {"b", b}, {"b_note", b_note}, {"changed", changed},
            {"difference", difference}};
}

// "Changed: progress, place in the order of priority": what differs, each named.
std::string changed_what(Ctx& ctx, const std::vector<std::string>& what_keys) {
    std::string list;
    for (const auto& k : what_keys) list += (list.empty() ? "" : ", ") + ctx.t(k);
    return ctx.t("plan.compare.changed_what", {list});
}

// The status, then every section; a section the family's consent keeps from the reader is
// emptied in both versions by the repository, and said so here rather than shown as unchanged.
json part_rows(Ctx& ctx, const ShownPlan& a, const ShownPlan& b, const std::vector<d::Section>& withheld) {
    json rows = json::array();
    const auto status = [&](const std::string& code) { return code.empty() ? std::string() : ctx.t("plan.status." + code); };
    const bool status_changed = a.status != b.status;
    rows.push_back(row(ctx.t("plan.status_heading"), status(a.status), false, status(b.status), false, status_changed,
                       ctx.t(status_changed ? "plan.compare.changed" : "plan.compare.unchanged")));
    const std::string empty = ctx.t("plan.print.empty_section");
    const auto& cat = ctx.app.catalogue();
    for (auto s : d::all_sections()) {
        const auto label = cat.t(ctx.lang, "plan.section." + std::string(d::code(s)));
        if (is_withheld(withheld, s)) {
            const std::string not_shown = ctx.t("plan.compare.not_shown");
            rows.push_back(row(label, not_shown, true, not_shown, true, false, section_withheld(cat, ctx.lang, s)));
            continue;
        }
        const std::string& x = a.sections.at(s);
        const std::string& y = b.sections.at(s);
        const bool changed = x != y;
        rows.push_back(row(label, x.empty() ? empty : x, x.empty(), y.empty() ? empty : y, y.empty(), changed,
                           ctx.t(changed ? "plan.compare.changed" : "plan.compare.unchanged")));
    }
    return rows;
}

// What became of a goal or an action between the two versions, in words: added, removed, changed
// (and what), or unchanged.
template <typename T>
std::string difference(Ctx& ctx, const T* x, const T* y, const std::vector<std::string>& what) {
    if (!x) return ctx.t("plan.compare.added");
    if (!y) return ctx.t("plan.compare.removed");
    if (!what.empty()) return changed_what(ctx, what);
    return ctx.t("plan.compare.unchanged");
}

std::string goal_cell(Ctx& ctx, const ShownGoal& g) {
    return ctx.t("plan.print.goal_line", {ctx.t("plan.expressed_by." + g.expressed_by), std::to_string(g.priority),
                                          ctx.t("plan.progress." + g.progress)});
}

// Goals matched by id: a goal's words are never rewritten, so its progress and place are what
// change; a goal only one version has was added or removed between them.
json goal_rows(Ctx& ctx, const ShownPlan& a, const ShownPlan& b) {
    json rows = json::array();
    const std::string absent = ctx.t("plan.compare.absent");
    for (const auto id : ids_of(a.goals, b.goals)) {
        const auto* x = by_id(a.goals, id);
        const auto* y = by_id(b.goals, id);
        const std::string& label = y ? y->text : x->text;
        std::vector<std::string> what;
        if (x && y) {
            if (x->text != y->text) what.push_back("plan.compare.what.wording");
            if (x->expressed_by != y->expressed_by) what.push_back("plan.compare.what.expressed_by");
            if (x->progress != y->progress) what.push_back("plan.compare.what.progress");
            if (x->priority != y->priority) what.push_back("plan.compare.what.priority");
        }
        rows.push_back(row(label, x ? goal_cell(ctx, *x) : absent, !x, y ? goal_cell(ctx, *y) : absent, !y,
                           !x || !y || !what.empty(), difference(ctx, x, y, what)));
    }
    return rows;
}

std::string action_cell(Ctx& ctx, const ShownPlan& p, const ShownAction& x) {
    const auto* goal = x.goal_id ? by_id(p.goals, x.goal_id) : nullptr;
    return x.text + "\n" +
           action_line(ctx.app.catalogue(), ctx.lang, x.owner, x.due, x.status, goal ? goal->text : std::string());
}

// Actions matched by id, as goals are; a version saved before the plan had actions has none.
json action_rows(Ctx& ctx, const ShownPlan& a, const ShownPlan& b) {
    json rows = json::array();
    static const std::vector<ShownAction> none;
    const auto& xs = a.actions ? *a.actions : none;
    const auto& ys = b.actions ? *b.actions : none;
    const std::string absent = ctx.t("plan.compare.absent");
    for (const auto id : ids_of(xs, ys)) {
        const auto* x = by_id(xs, id);
        const auto* y = by_id(ys, id);
        std::vector<std::string> what;
        if (x && y) {
            if (x->text != y->text) what.push_back("plan.compare.what.wording");
            if (x->owner != y->owner) what.push_back("plan.compare.what.owner");
            if (x->due != y->due) what.push_back("plan.compare.what.due");
            if (x->status != y->status) what.push_back("plan.compare.what.status");
            if (x->goal_id != y->goal_id) what.push_back("plan.compare.what.goal");
        }
        rows.push_back(row(y ? y->text : x->text, x ? action_cell(ctx, a, *x) : absent, !x, y ? action_cell(ctx, b, *y) : absent,
                           !y, !x || !y || !what.empty(), difference(ctx, x, y, what)));
    }
    return rows;
}

json comparison(Ctx& ctx, const store::PlanVersionPair& p) {
    const auto& a = *p.a;
    const auto& b = *p.b;
    const auto x = parse_snapshot(a.snapshot);
    const auto y = parse_snapshot(b.snapshot);
    const auto column = [&](const store::PlanVersionRow& v) {
        return ctx.t("plan.compare.column", {std::to_string(v.version), display_minute(v.at), v.user_name});
    };
    json out = {{"col_a", column(a.header)},
                {"col_b", column(b.header)},
                {"parts", part_rows(ctx, x, y, p.withheld_sections)},
                {"goals", goal_rows(ctx, x, y)}};
    if (x.actions || y.actions) out["actions"] = action_rows(ctx, x, y);
    out["actions_shown"] = x.actions || y.actions;
    return out;
}

// A version asked for in the query: 0 when neither was given (the repository's usual pair), and
// `unreadable`, which no version has, when it is missing beside the other or not a whole number.
constexpr int unreadable = -1;

int asked_version(Ctx& ctx, const char* name, bool required, std::vector<FieldError>& errors) {
    const std::string raw = trim(ctx.req.query_param(name));
    if (raw.empty()) {
        if (!required) return 0;
        errors.push_back({name, "plan.compare.error.choose", {}});
        return unreadable;
    }
    const auto v = d::parse_id(raw);
    if (!v || *v > 1000000000) {
        errors.push_back({name, "plan.compare.error.not_a_version", {}});
        return unreadable;
    }
    return static_cast<int>(*v);
}

json version_select(Ctx& ctx, const store::PlanVersionPair& p, const char* name, const char* label_key, int selected,
                    const std::vector<FieldError>& errors) {
    json options = json::array();
    for (const auto& v : p.versions)
        options.push_back({{"value", std::to_string(v.version)},
                           {"label", ctx.t("plan.compare.option", {std::to_string(v.version), display_minute(v.at), v.user_name,
                                                                   ctx.t("plan.change." + v.change)})},
                           {"selected", v.version == selected}});
    json field = {{"name", name},
                  {"id", std::string("compare-") + name},
                  {"error_id", std::string("compare-error-") + name},
                  {"label", ctx.t(label_key)},
                  {"options", options},
                  {"field_error", false}};
    for (const auto& e : errors)
        if (e.field == name) field["field_error"] = ctx.t(e.message_key, e.args);
    return field;
}

http::Response compare_page(Ctx& ctx) {
    auto id = file_id(ctx);
    if (!id) return not_allowed(ctx);
    std::vector<FieldError> errors;
    const bool given = !trim(ctx.req.query_param("a")).empty() || !trim(ctx.req.query_param("b")).empty();
    const int a = asked_version(ctx, "a", given, errors);
    const int b = asked_version(ctx, "b", given, errors);
    auto p = store::PlanRepo(*ctx.access).versions(*id, a, b);
    if (!p) return refused(ctx, p.error());
    json model = {{"heading", ctx.t("plan.compare.heading", {std::to_string(*id)})}, {"back_href", plan_href(*id)}};
    if (p->withheld) {
        model["withheld"] = ctx.t("people.withheld_notice", {ctx.t("privacy.category.plan")});
        return ctx.app.page(ctx, "plan.compare.title", "plan_compare", model);
    }
    if (!p->id) return no_plan(ctx);
    // A whole number the plan has no version of, and the same version twice, are field errors too.
    if (a > 0 && !p->a) errors.push_back({"a", "plan.compare.error.no_such_version", {std::to_string(a)}});
    if (b > 0 && !p->b) errors.push_back({"b", "plan.compare.error.no_such_version", {std::to_string(b)}});
    if (p->a && p->b && p->a->header.version == p->b->header.version) errors.push_back({"b", "plan.compare.error.same", {}});
    const int status = errors.empty() ? 200 : 422;
    if (status >= 400) ctx.commit_anyway = true;  // the versions were read: the read stays on record

    json summary = json::array();
    for (const auto& e : errors) summary.push_back({{"href", "#compare-" + e.field}, {"message", ctx.t(e.message_key, e.args)}});
    const int shown_a = p->a ? p->a->header.version : a;
    const int shown_b = p->b ? p->b->header.version : b;
    model["form"] = {{"action", plan_href(*id) + "/versions"},
                     {"errors", summary},
                     {"fields", json::array({version_select(ctx, *p, "a", "plan.compare.first", shown_a, errors),
                                             version_select(ctx, *p, "b", "plan.compare.second", shown_b, errors)})}};
    model["print_href"] = plan_href(*id) + "/print";
    if (!given && !p->a)
        model["only_one"] = ctx.t("plan.compare.only_one");
    else if (errors.empty() && p->a && p->b)
        model["comparison"] = comparison(ctx, *p);
    return ctx.app.page(ctx, "plan.compare.title", "plan_compare", model, status);
}

}  // namespace

void register_plan_print_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = store::TxMode::read;
    app.route("GET", "/children/{id}/plan/print", {"plan/print", S, R, print_view});
    app.route("GET", "/children/{id}/plan.pdf", {"plan/pdf", S, R, plan_pdf});
    app.route("GET", "/children/{id}/plan/versions", {"plan/versions", S, R, compare_page});
}

}  // namespace arrimage::web
