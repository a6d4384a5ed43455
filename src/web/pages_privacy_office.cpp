// The privacy officer's tools (store/privacy_office_repo.hpp): audit search with CSV export,
// anomalies, access and correction requests, the breach register, and the family's access
// report on a child's file. The audit pages read the audit and the register pages the
// registers, which is itself audited: they are write transactions, and a refusal is committed
// (ctx.commit_anyway) so that its audit row is kept. Nothing here logs request content; the pipeline logs the route name only.
#include <algorithm>
#include <tuple>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "domain/privacy_office.hpp"
#include "interop/csv.hpp"
#include "store/privacy_office_repo.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/pdf.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

constexpr int audit_page_size = 50;
constexpr int register_page_size = 100;
constexpr int export_max_rows = 50000;

const std::string& pick(const Ctx& ctx, const std::string& fr, const std::string& en) {
    return ctx.lang == Lang::fr ? fr : en;
}

// The membership the user acts under (Ctx::acting) when it is a privacy officer's or one that
// may use the registry (a coordinator asking for a report).
std::optional<d::Grant> acting_grant(const Ctx& ctx) {
    if (ctx.acting && (ctx.acting->role == d::Role::privacy_officer || d::may_use_registry(ctx.acting->role))) return ctx.acting;
    return std::nullopt;
}

store::PrivacyOfficeRepo office(Ctx& ctx) {
    return store::PrivacyOfficeRepo(*ctx.access);
}

// A refusal of the audit or the registers (WebApp::refused).
http::Response refused(Ctx& ctx, const Error& e) {
    return ctx.app.refused(ctx, e);
}

std::string label(const Ctx& ctx, const std::string& prefix, std::string_view code) {
    return ctx.t(prefix + std::string(code));
}

std::string q(const std::string& v) {
    return percent_encode(v);
}

json audit_row(const Ctx& ctx, const store::AuditEntry& e) {
    json row = {{"id", e.id},
                {"at", display_minute(e.at)},
                {"user", e.user_name.empty() ? ctx.t("privacy_office.system") : e.user_name},
                {"organisation", pick(ctx, e.org_name_fr, e.org_name_en)},
                {"file", e.person_id ? ctx.t("people.file_number", {std::to_string(*e.person_id)}) : std::string()},
                {"action", label(ctx, "privacy.action.", e.action)},
                {"category", label(ctx, "privacy.category.", e.category)},
                {"purpose", label(ctx, "privacy.purpose.", e.purpose)},
                {"decision", label(ctx, "privacy.effect.", e.decision)},
                {"reason", label(ctx, "privacy.reason.", e.reason)},
                {"break_glass", e.break_glass},
                {"denied", e.decision == "deny"}};
    return row;
}

// On the officer's own pages, a file links to its access report.
json with_report_link(json row, const store::AuditEntry& e) {
    if (e.person_id) row["report_href"] = "/children/" + std::to_string(*e.person_id) + "/access-report";
    return row;
}

// ---------------------------------------------------------------- home

http::Response home(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g || !office(ctx).keeps_registers()) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    json links = json::array({
        {{"href", "/privacy/audit"}, {"label", ctx.t("privacy_office.audit_title")}},
        {{"href", "/privacy/anomalies"}, {"label", ctx.t("privacy_office.anomalies_title")}},
        {{"href", "/privacy/requests"}, {"label", ctx.t("privacy_office.requests_title")}},
        {{"href", "/privacy/breaches"}, {"label", ctx.t("privacy_office.breaches_title")}},
    });
    json model = {{"heading", ctx.t("privacy_office.home_title")},
                  {"intro", ctx.t("privacy_office.home_intro")},
                  {"links", links},
                  {"has_links", true}};
    return ctx.app.page(ctx, "privacy_office.home_title", "form_page", model);
}

// ---------------------------------------------------------------- audit search

struct FilterInput {
    std::string person, user, organisation, from, to, action, outcome, break_glass;
};

FilterInput filter_input(const Ctx& ctx) {
    const auto& r = ctx.req;
    return {trim(r.query_param("file")),    trim(r.query_param("user")),       trim(r.query_param("organisation")),
            trim(r.query_param("from")),    trim(r.query_param("to")),         trim(r.query_param("action")),
            trim(r.query_param("outcome")), trim(r.query_param("break_glass"))};
}

std::string filter_query(const FilterInput& in) {
    std::string s = "file=" + q(in.person) + "&user=" + q(in.user) + "&organisation=" + q(in.organisation) +
                    "&from=" + q(in.from) + "&to=" + q(in.to) + "&action=" + q(in.action) + "&outcome=" + q(in.outcome);
    if (in.break_glass == "1") s += "&break_glass=1";
    return s;
}

// The filter as typed → the store's filter, or field errors (catalogue keys).
std::vector<FieldError> parse_filter(Ctx& ctx, const FilterInput& in, store::AuditFilter& f) {
    std::vector<FieldError> e;
    if (!in.person.empty()) {
        if (auto id = d::parse_id(in.person))
            f.person_id = *id;
        else
            e.push_back({"file", "privacy_office.error.file_number", {}});
    }
    if (!in.user.empty()) {
        if (auto id = d::parse_id(in.user))
            f.user_id = *id;
        else if (auto u = ctx.identity().find_user_by_email(ascii_lower(in.user)))
            f.user_id = u->id;
        else
            e.push_back({"user", "privacy_office.error.unknown_user", {}});
    }
    if (!in.organisation.empty()) {
        if (auto id = d::parse_id(in.organisation))
            f.organisation_id = *id;
        else
            e.push_back({"organisation", "field.choose_from_list", {}});
    }
    for (auto [field, raw, out] : {std::tuple{"from", &in.from, &f.from}, std::tuple{"to", &in.to, &f.to}}) {
        if (raw->empty()) continue;
        if (auto day = parse_date(*raw))
            *out = *day;
        else
            e.push_back({field, "privacy_office.error.invalid_date", {}});
    }
    if (f.from && f.to && d::compare(*f.from, *f.to) > 0) e.push_back({"to", "privacy_office.error.range_reversed", {}});
    if (!in.action.empty()) {
        if (auto a = d::parse_action(in.action))
            f.action = *a;
        else
            e.push_back({"action", "field.choose_from_list", {}});
    }
    if (!in.outcome.empty()) {
        if (auto o = d::parse_effect(in.outcome))
            f.decision = *o;
        else
            e.push_back({"outcome", "field.choose_from_list", {}});
    }
    f.break_glass_only = in.break_glass == "1";
    return e;
}

json options(const std::vector<Option>& opts, const std::string& selected) {
    json out = json::array();
    for (const auto& o : opts) out.push_back({{"value", o.value}, {"label", o.label}, {"selected", o.value == selected}});
    return out;
}

json filter_model(Ctx& ctx, const d::Grant& g, const FilterInput& in, const std::vector<FieldError>& e) {
    std::vector<Option> orgs;
    for (const auto& o : ctx.identity().list_organisations(g.sda_id, true))
        orgs.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en)});
    std::vector<Option> actions;
    for (auto a : d::all_actions()) actions.push_back({std::string(d::code(a)), label(ctx, "privacy.action.", d::code(a))});
    std::vector<Option> outcomes;
    for (auto x : d::all_effects()) outcomes.push_back({std::string(d::code(x)), label(ctx, "privacy.effect.", d::code(x))});
    json m = {{"file", in.person},
              {"user", in.user},
              {"from", in.from},
              {"to", in.to},
              {"break_glass", in.break_glass == "1"},
              {"organisations", options(orgs, in.organisation)},
              {"actions", options(actions, in.action)},
              {"outcomes", options(outcomes, in.outcome)}};
    json errors = json::array();
    for (const auto& f : e) {
        const std::string msg = ctx.t(f.message_key, f.args);
        errors.push_back({{"href", "#filter-" + f.field}, {"message", msg}});
        m["error_" + f.field] = msg;
    }
    if (!e.empty()) m["errors"] = errors, m["has_errors"] = true;
    return m;
}

http::Response audit(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    const auto in = filter_input(ctx);
    store::AuditFilter f;
    auto e = parse_filter(ctx, in, f);
    json model = {{"heading", ctx.t("privacy_office.audit_title")}};
    // Field errors only for the agency's privacy officers: anyone else goes to the policy,
    // which refuses, rather than learning whether an email address belongs to a user.
    if (!e.empty() && !office(ctx).keeps_registers()) f = {}, e.clear();
    if (!e.empty()) {
        model["filter"] = filter_model(ctx, *g, in, e);
        return ctx.app.page(ctx, "privacy_office.audit_title", "privacy_audit", model, 422);
    }
    std::optional<std::int64_t> before;
    if (auto b = d::parse_id(ctx.req.query_param("before"))) before = *b;
    auto page = office(ctx).search_audit(f, before, audit_page_size);
    if (!page) return refused(ctx, page.error());
    json rows = json::array();
    for (const auto& r : page->rows) rows.push_back(with_report_link(audit_row(ctx, r), r));
    model["filter"] = filter_model(ctx, *g, in, {});
    model["rows"] = rows;
    model["has_rows"] = !rows.empty();
    model["export_href"] = "/privacy/audit/export?" + filter_query(in);
    if (page->next_before)
        model["next_href"] = "/privacy/audit?" + filter_query(in) + "&before=" + std::to_string(*page->next_before);
    if (before) model["first_href"] = "/privacy/audit?" + filter_query(in);
    return ctx.app.page(ctx, "privacy_office.audit_title", "privacy_audit", model);
}

http::Response audit_export(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    const auto in = filter_input(ctx);
    store::AuditFilter f;
    if (auto e = parse_filter(ctx, in, f); !e.empty()) {
        if (office(ctx).keeps_registers()) return ctx.app.error_page(ctx, Error::invalid(std::move(e)));
        f = {};  // as above: the policy answers
    }
    auto rows = office(ctx).export_audit(f, export_max_rows);
    if (!rows) return refused(ctx, rows.error());
    std::string out = interop::spreadsheet_record({"id", "at", "user_id", "user", "organisation_id", "organisation", "file",
                                                   "action", "category", "purpose", "decision", "reason", "break_glass"});
    auto num = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
    for (const auto& r : *rows)
        out += interop::spreadsheet_record({std::to_string(r.id), r.at, num(r.user_id), r.user_name, num(r.organisation_id),
                                            pick(ctx, r.org_name_fr, r.org_name_en), num(r.person_id), r.action, r.category,
                                            r.purpose, r.decision, r.reason, r.break_glass ? "1" : "0"});
    http::Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.set_header("Content-Disposition", "attachment; filename=\"audit.csv\"");
    res.body = std::move(out);
    return res;
}

// ---------------------------------------------------------------- anomalies

http::Response anomalies(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    const std::string threshold = trim(ctx.req.query_param("threshold")), window = trim(ctx.req.query_param("window")),
                      lookback = trim(ctx.req.query_param("lookback"));
    d::BulkAccessRule rule;
    auto e = d::validate_bulk_rule(threshold, window, lookback, rule);
    json model = {{"heading", ctx.t("privacy_office.anomalies_title")},
                  {"threshold", threshold.empty() ? std::to_string(rule.max_distinct_files) : threshold},
                  {"window", window.empty() ? std::to_string(rule.window.count()) : window},
                  {"lookback", lookback.empty() ? std::to_string(rule.lookback.count() / 24) : lookback}};
    if (!e.empty()) {
        json errors = json::array();
        for (const auto& f : e) {
            const std::string msg = ctx.t(f.message_key, f.args);
            errors.push_back({{"href", "#rule-" + f.field}, {"message", msg}});
            model["error_" + f.field] = msg;
        }
        model["errors"] = errors;
        model["has_errors"] = true;
        return ctx.app.page(ctx, "privacy_office.anomalies_title", "privacy_anomalies", model, 422);
    }
    std::optional<std::int64_t> before;
    if (auto b = d::parse_id(ctx.req.query_param("before"))) before = *b;
    auto a = office(ctx).anomalies(rule, before, audit_page_size);
    if (!a) return refused(ctx, a.error());
    json bulk = json::array();
    for (const auto& b : a->bulk)
        bulk.push_back({{"user", b.user_name},
                        {"files", b.flag.distinct_files},
                        {"first", display_minute(format_iso(b.flag.first))},
                        {"last", display_minute(format_iso(b.flag.last))},
                        {"href", "/privacy/audit?user=" + std::to_string(b.flag.user_id) +
                                     "&from=" + date_of(b.flag.first).iso() + "&to=" + date_of(b.flag.last).iso()}});
    json rows = json::array();
    for (const auto& r : a->unrelated.rows) rows.push_back(with_report_link(audit_row(ctx, r), r));
    model["bulk"] = bulk;
    model["has_bulk"] = !bulk.empty();
    model["rule_text"] =
        ctx.t("privacy_office.bulk_rule", {std::to_string(rule.max_distinct_files), std::to_string(rule.window.count()),
                                           std::to_string(rule.lookback.count() / 24)});
    model["rows"] = rows;
    model["has_rows"] = !rows.empty();
    const std::string base = "/privacy/anomalies?threshold=" + q(threshold) + "&window=" + q(window) + "&lookback=" + q(lookback);
    if (a->unrelated.next_before) model["next_href"] = base + "&before=" + std::to_string(*a->unrelated.next_before);
    return ctx.app.page(ctx, "privacy_office.anomalies_title", "privacy_anomalies", model);
}

// ---------------------------------------------------------------- requests

std::string request_href(std::int64_t id) {
    return "/privacy/requests/" + std::to_string(id);
}

std::vector<Option> requester_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto r : d::all_requesters())
        out.push_back({std::string(d::code(r)), label(ctx, "privacy_office.requester.", d::code(r))});
    return out;
}
std::vector<Option> kind_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto k : d::all_request_kinds())
        out.push_back({std::string(d::code(k)), label(ctx, "privacy_office.kind.", d::code(k))});
    return out;
}

json request_json(const Ctx& ctx, const store::RequestRow& r) {
    json j = {{"href", request_href(r.id)},
              {"number", ctx.t("privacy_office.request_number", {std::to_string(r.id)})},
              {"file", ctx.t("people.file_number", {std::to_string(r.person_id)})},
              {"file_href", "/children/" + std::to_string(r.person_id)},
              {"report_href", "/children/" + std::to_string(r.person_id) + "/access-report"},
              {"requester", label(ctx, "privacy_office.requester.", r.requester)},
              {"kind", label(ctx, "privacy_office.kind.", r.kind)},
              {"received", r.received.iso()},
              {"due", r.due.iso()},
              {"status", label(ctx, "privacy_office.status.", r.status)},
              {"overdue", r.overdue},
              {"description", r.description}};
    if (r.extension_days > 0) {
        j["extension"] = ctx.t("privacy_office.extension_line", {std::to_string(r.extension_days)});
        j["extension_reason"] = r.extension_reason;
    }
    if (r.closed_on) j["closed_on"] = r.closed_on->iso();
    if (!r.outcome.empty()) j["outcome"] = r.outcome;
    return j;
}

http::Response requests(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    int page = 1;
    if (auto p = d::parse_id(ctx.req.query_param("page")); p && *p < 10000) page = static_cast<int>(*p);
    auto rows = office(ctx).list_requests(register_page_size + 1, (page - 1) * register_page_size);
    if (!rows) return refused(ctx, rows.error());
    const bool more = rows->size() > static_cast<std::size_t>(register_page_size);
    if (more) rows->pop_back();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(request_json(ctx, r));
    json model = {{"heading", ctx.t("privacy_office.requests_title")}, {"requests", items}, {"has_requests", !items.empty()}};
    if (more) model["next_href"] = "/privacy/requests?page=" + std::to_string(page + 1);
    if (page > 1) model["prev_href"] = "/privacy/requests?page=" + std::to_string(page - 1);
    return ctx.app.page(ctx, "privacy_office.requests_title", "privacy_requests", model);
}

http::Response request_form_page(Ctx& ctx, const d::RequestForm& v, const std::vector<FieldError>& e, int status) {
    FormBuilder f(ctx, "/privacy/requests/new", "privacy_office.request_save");
    f.field({.name = "person_id",
             .label_key = "privacy_office.file_label",
             .required = true,
             .hint_key = "privacy_office.file_hint",
             .inputmode = "numeric"},
            v.person_id)
        .field({.name = "requester",
                .label_key = "privacy_office.requester_label",
                .type = "select",
                .required = true,
                .options = requester_options(ctx)},
               v.requester)
        .field({.name = "kind",
                .label_key = "privacy_office.kind_label",
                .type = "radios",
                .required = true,
                .options = kind_options(ctx)},
               v.kind)
        .field({.name = "received_on",
                .label_key = "privacy_office.received_label",
                .required = true,
                .hint_key = "privacy_office.date_hint",
                .inputmode = "numeric"},
               v.received_on)
        .field({.name = "description",
                .label_key = "privacy_office.request_description",
                .type = "textarea",
                .required = true,
                .hint_key = "privacy_office.request_description_hint"},
               v.description)
        .errors(e)
        .cancel("/privacy/requests");
    json model = {{"heading", ctx.t("privacy_office.request_new_title")},
                  {"intro", ctx.t("privacy_office.request_new_intro")},
                  {"form", f.build()}};
    return ctx.app.page(ctx, "privacy_office.request_new_title", "form_page", model, status);
}

http::Response new_request(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (auto allowed = office(ctx).registers_allowed(d::Action::create); !allowed) return refused(ctx, allowed.error());
    d::RequestForm v;
    v.received_on = date_of(ctx.app.clock().now()).iso();
    v.kind = "access";
    return request_form_page(ctx, v, {}, 200);
}

http::Response create_request(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    auto po = office(ctx);
    if (auto allowed = po.registers_allowed(d::Action::create); !allowed) return refused(ctx, allowed.error());
    d::RequestForm in{ctx.form("person_id"), ctx.form("requester"), ctx.form("kind"), ctx.form("received_on"),
                      ctx.form("description")};
    d::NewRequest r;
    auto e = d::validate(in, date_of(ctx.app.clock().now()), r);
    if (!e.empty()) return request_form_page(ctx, in, e, 422);
    auto id = po.create_request(r);
    if (!id) {
        if (id.error().code == Errc::Invalid) return request_form_page(ctx, in, id.error().fields, 422);
        return refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, request_href(*id), "privacy_office.request_saved");
}

http::Response request_page(Ctx& ctx, std::int64_t id, const d::ExtensionForm& ext, const d::ClosingForm& closing,
                            const std::vector<FieldError>& ext_errors, const std::vector<FieldError>& close_errors, int status) {
    auto r = office(ctx).find_request(id);
    if (!r) return refused(ctx, r.error());
    ctx.commit_anyway = true;  // the read's audit event stays, also under a 422 of a form below
    json model = {{"heading", ctx.t("privacy_office.request_number", {std::to_string(r->id)})},
                  {"request", request_json(ctx, *r)}};
    const auto current = d::parse_request_status(r->status).value_or(d::RequestStatus::open);
    if (d::next_status(current, d::RequestEvent::extend)) {
        FormBuilder f(ctx, request_href(id) + "/extend", "privacy_office.extend_save");
        f.field({.name = "days",
                 .label_key = "privacy_office.extension_days",
                 .required = true,
                 .hint_key = "privacy_office.extension_days_hint",
                 .inputmode = "numeric"},
                ext.days)
            .field({.name = "reason", .label_key = "privacy_office.extension_reason", .type = "textarea", .required = true},
                   ext.reason)
            .errors(ext_errors);
        model["extend_form"] = f.build();
    }
    if (!d::closed(current)) {
        FormBuilder f(ctx, request_href(id) + "/close", "privacy_office.close_save");
        f.field({.name = "result",
                 .label_key = "privacy_office.result_label",
                 .type = "radios",
                 .required = true,
                 .options = {{"completed", ctx.t("privacy_office.status.completed")},
                             {"refused", ctx.t("privacy_office.status.refused")}}},
                closing.result)
            .field({.name = "closed_on",
                    .label_key = "privacy_office.closed_on_label",
                    .required = true,
                    .hint_key = "privacy_office.date_hint",
                    .inputmode = "numeric"},
                   closing.closed_on)
            .field({.name = "outcome",
                    .label_key = "privacy_office.outcome_label",
                    .type = "textarea",
                    .required = true,
                    .hint_key = "privacy_office.outcome_hint"},
                   closing.outcome)
            .errors(close_errors);
        model["close_form"] = f.build();
    }
    return ctx.app.page(ctx, "privacy_office.request_title", "privacy_request", model, status);
}

http::Response request_detail(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    d::ClosingForm closing;
    closing.closed_on = date_of(ctx.app.clock().now()).iso();
    return request_page(ctx, *id, {}, closing, {}, {}, 200);
}

http::Response extend_request(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    d::ExtensionForm in{ctx.form("days"), ctx.form("reason")};
    auto r = office(ctx).extend_request(*id, in);
    if (!r) {
        if (r.error().code == Errc::Invalid) return request_page(ctx, *id, in, {}, r.error().fields, {}, 422);
        return refused(ctx, r.error());
    }
    return ctx.app.see_other(ctx, request_href(*id), "privacy_office.request_extended");
}

http::Response close_request(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    d::ClosingForm in{ctx.form("result"), ctx.form("closed_on"), ctx.form("outcome")};
    auto r = office(ctx).close_request(*id, in);
    if (!r) {
        if (r.error().code == Errc::Invalid) return request_page(ctx, *id, {}, in, {}, r.error().fields, 422);
        return refused(ctx, r.error());
    }
    return ctx.app.see_other(ctx, request_href(*id), "privacy_office.request_closed");
}

// ---------------------------------------------------------------- breaches

std::string breach_href(std::int64_t id) {
    return "/privacy/breaches/" + std::to_string(id);
}

std::vector<Option> breach_status_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto s : d::all_breach_statuses())
        out.push_back({std::string(d::code(s)), label(ctx, "privacy_office.breach_status.", d::code(s))});
    return out;
}

d::BreachForm breach_form_of(const d::Breach& b) {
    return {b.discovered_on.iso(),
            b.description,
            std::to_string(b.files_affected),
            b.containment,
            b.ipc_notified_on ? b.ipc_notified_on->iso() : std::string(),
            b.families_notified_on ? b.families_notified_on->iso() : std::string(),
            std::string(d::code(b.status))};
}

http::Response breach_form_page(Ctx& ctx, std::optional<std::int64_t> id, const d::BreachForm& v,
                                const std::vector<FieldError>& e, int status, std::optional<bool> active = std::nullopt) {
    const std::string action = id ? breach_href(*id) : "/privacy/breaches/new";
    FormBuilder f(ctx, action, "common.save");
    f.field({.name = "discovered_on",
             .label_key = "privacy_office.discovered_label",
             .required = true,
             .hint_key = "privacy_office.date_hint",
             .inputmode = "numeric"},
            v.discovered_on)
        .field({.name = "description",
                .label_key = "privacy_office.breach_description",
                .type = "textarea",
                .required = true,
                .hint_key = "privacy_office.breach_description_hint"},
               v.description)
        .field({.name = "files_affected",
                .label_key = "privacy_office.files_affected_label",
                .required = true,
                .inputmode = "numeric"},
               v.files_affected)
        .field({.name = "containment", .label_key = "privacy_office.containment_label", .type = "textarea"}, v.containment)
        .field({.name = "ipc_notified_on",
                .label_key = "privacy_office.ipc_notified_label",
                .hint_key = "privacy_office.notified_hint",
                .inputmode = "numeric"},
               v.ipc_notified_on)
        .field({.name = "families_notified_on",
                .label_key = "privacy_office.families_notified_label",
                .hint_key = "privacy_office.notified_hint",
                .inputmode = "numeric"},
               v.families_notified_on)
        .field({.name = "status",
                .label_key = "privacy_office.breach_status_label",
                .type = "radios",
                .required = true,
                .options = breach_status_options(ctx)},
               v.status)
        .errors(e)
        .cancel("/privacy/breaches");
    const std::string title = id ? "privacy_office.breach_edit_title" : "privacy_office.breach_new_title";
    json model = {{"heading", ctx.t(title)}, {"intro", ctx.t("privacy_office.breach_intro")}, {"form", f.build()}};
    if (id && active) {
        model["toggle_action"] = breach_href(*id) + (*active ? "/deactivate" : "/reactivate");
        model["toggle_label"] = ctx.t(*active ? "privacy_office.breach_deactivate" : "privacy_office.breach_reactivate");
        if (!*active) model["inactive"] = true;
    }
    return ctx.app.page(ctx, title, "privacy_breach_form", model, status);
}

json breach_json(const Ctx& ctx, const store::BreachRow& r) {
    const auto& b = r.breach;
    auto notified = [&](const std::optional<Date>& d) {
        return d ? ctx.t("privacy_office.notified_on", {d->iso()}) : ctx.t("privacy_office.not_notified");
    };
    return {{"href", breach_href(r.id)},
            {"number", ctx.t("privacy_office.breach_number", {std::to_string(r.id)})},
            {"discovered", b.discovered_on.iso()},
            {"description", b.description},
            {"files", b.files_affected},
            {"ipc", notified(b.ipc_notified_on)},
            {"families", notified(b.families_notified_on)},
            {"status", label(ctx, "privacy_office.breach_status.", d::code(b.status))},
            {"inactive", !r.active}};
}

http::Response breaches(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    const bool all = ctx.req.query_param("all") == "1";
    int page = 1;
    if (auto p = d::parse_id(ctx.req.query_param("page")); p && *p < 10000) page = static_cast<int>(*p);
    auto rows = office(ctx).list_breaches(all, register_page_size + 1, (page - 1) * register_page_size);
    if (!rows) return refused(ctx, rows.error());
    const bool more = rows->size() > static_cast<std::size_t>(register_page_size);
    if (more) rows->pop_back();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(breach_json(ctx, r));
    json model = {{"heading", ctx.t("privacy_office.breaches_title")}, {"breaches", items}, {"has_breaches", !items.empty()}};
    model[all ? "active_only_href" : "all_href"] = all ? "/privacy/breaches" : "/privacy/breaches?all=1";
    const std::string base = std::string("/privacy/breaches?") + (all ? "all=1&" : "") + "page=";
    if (more) model["next_href"] = base + std::to_string(page + 1);
    if (page > 1) model["prev_href"] = base + std::to_string(page - 1);
    return ctx.app.page(ctx, "privacy_office.breaches_title", "privacy_breaches", model);
}

d::BreachForm breach_input(const Ctx& ctx) {
    return {ctx.form("discovered_on"),   ctx.form("description"),          ctx.form("files_affected"), ctx.form("containment"),
            ctx.form("ipc_notified_on"), ctx.form("families_notified_on"), ctx.form("status")};
}

http::Response new_breach(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (auto allowed = office(ctx).registers_allowed(d::Action::create); !allowed) return refused(ctx, allowed.error());
    d::BreachForm v;
    v.discovered_on = date_of(ctx.app.clock().now()).iso();
    v.files_affected = "0";
    v.status = "open";
    return breach_form_page(ctx, std::nullopt, v, {}, 200);
}

http::Response create_breach(Ctx& ctx) {
    auto g = acting_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    auto po = office(ctx);
    if (auto allowed = po.registers_allowed(d::Action::create); !allowed) return refused(ctx, allowed.error());
    const auto in = breach_input(ctx);
    d::Breach b;
    auto e = d::validate(in, date_of(ctx.app.clock().now()), b);
    if (!e.empty()) return breach_form_page(ctx, std::nullopt, in, e, 422);
    auto id = po.create_breach(b);
    if (!id) return refused(ctx, id.error());
    return ctx.app.see_other(ctx, "/privacy/breaches", "privacy_office.breach_saved");
}

http::Response edit_breach(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto r = office(ctx).find_breach(*id);
    if (!r) return refused(ctx, r.error());
    return breach_form_page(ctx, *id, breach_form_of(r->breach), {}, 200, r->active);
}

http::Response update_breach(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto po = office(ctx);
    auto current = po.find_breach(*id);
    if (!current) return refused(ctx, current.error());
    const auto in = breach_input(ctx);
    d::Breach b;
    auto e = d::validate(in, date_of(ctx.app.clock().now()), b);
    if (!e.empty()) {
        ctx.commit_anyway = true;  // the read's audit event
        return breach_form_page(ctx, *id, in, e, 422, current->active);
    }
    auto r = po.update_breach(*id, b);
    if (!r && r.error().code == Errc::Invalid) {
        ctx.commit_anyway = true;  // the read's audit event; nothing was written
        return breach_form_page(ctx, *id, in, r.error().fields, 422, current->active);
    }
    if (!r) return refused(ctx, r.error());
    return ctx.app.see_other(ctx, "/privacy/breaches", "privacy_office.breach_saved");
}

http::Response toggle_breach(Ctx& ctx, bool active) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto r = office(ctx).set_breach_active(*id, active);
    if (!r) return refused(ctx, r.error());
    return ctx.app.see_other(ctx, "/privacy/breaches?all=1",
                             active ? "privacy_office.breach_reactivated" : "privacy_office.breach_deactivated");
}

// ---------------------------------------------------------------- the family's access report

// How many accesses one page of the report lists.
constexpr int report_page_rows = 200;

// The report's page: for the privacy officer (`/children/{id}/access-report`) and for the family
// account itself (`/family/children/{id}/access`), from `self` back to `back`, for the period the
// query names (from, to: YYYY-MM-DD; a bad date is a field error and shows nothing), a page at a
// time (before: an access's number), in the language asked (lang). `pdf`: the same rows as a PDF
// (`self` + ".pdf"); a field error shows the page.
http::Response report_page(Ctx& ctx, std::int64_t id, const std::string& self, const std::string& back, d::Purpose purpose,
                           bool pdf = false) {
    // The report is printed in the family's language, whatever the page's.
    if (auto l = parse_lang(ctx.req.query_param("lang"))) ctx.lang = *l;
    std::vector<FieldError> errors;
    std::optional<Date> from, to;
    const std::string raw_from = ctx.req.query_param("from"), raw_to = ctx.req.query_param("to");
    d::date_field(errors, "from", raw_from, false, from);
    d::date_field(errors, "to", raw_to, false, to);
    if (errors.empty() && from && to && days_between(*from, *to) < 0)
        errors.push_back({"to", "privacy_office.error.period_order", {}});
    FormBuilder period(ctx, self, "privacy_office.report_filter");
    period.query();
    period.id_prefix("period-");
    period.field({.name = "from", .label_key = "privacy_office.report_from", .type = "date"}, raw_from);
    period.field({.name = "to", .label_key = "privacy_office.report_to", .type = "date"}, raw_to);
    period.errors(errors);
    json model = {{"heading", ctx.t("privacy_office.report_title")}, {"period_form", period.build()}, {"back_href", back}};
    if (!errors.empty()) return ctx.app.page(ctx, "privacy_office.report_title", "privacy_report", model, 422);
    // A page at a time (a phone shows it): the most recent accesses of the period, then a link to
    // the ones just older (query `before`: an access's number; anything else is not a page).
    std::optional<std::int64_t> before;
    if (const std::string raw = ctx.req.query_param("before"); !raw.empty()) {
        before = d::parse_id(raw);
        // Not a page of any report: refused as a file not found, on record like any other.
        if (!before) return ctx.app.refused_audited(ctx, Error::not_found(), purpose, id);
    }
    auto report = office(ctx).access_report(id, report_page_rows, from, to, before);
    if (!report) return refused(ctx, report.error());
    // The query that asked for these rows, for the other language and the PDF.
    std::string query;
    if (from) query += "&from=" + from->iso();
    if (to) query += "&to=" + to->iso();
    if (before) query += "&before=" + std::to_string(*before);
    json rows = json::array();
    for (const auto& r : report->rows) {
        auto row = audit_row(ctx, r);
        // A family account acts for no organisation.
        if (r.org_name_fr.empty() && r.user_id) row["organisation"] = ctx.t("role.family");
        rows.push_back(row);
    }
    const std::string file = ctx.t("people.file_number", {std::to_string(report->person_id)});
    const std::string agency = pick(ctx, report->agency_name_fr, report->agency_name_en);
    const std::string generated = ctx.t("privacy_office.report_generated", {display_minute(format_iso(ctx.app.clock().now()))});
    if (pdf) {
        PdfDocument doc;
        doc.title = ctx.t("privacy_office.report_title");
        doc.lang = ctx.lang;
        doc.footer = file + " — " + agency;
        doc.blocks.push_back({PdfBlock::Kind::paragraph, file + " — " + agency});
        doc.blocks.push_back({PdfBlock::Kind::small, generated});
        if (from || to)
            doc.blocks.push_back(
                {PdfBlock::Kind::small, ctx.t("privacy_office.report_period", {from ? from->iso() : "…", to ? to->iso() : "…"})});
        if (report->truncated) doc.blocks.push_back({PdfBlock::Kind::paragraph, ctx.t("privacy_office.report_truncated_pdf")});
        if (rows.empty()) doc.blocks.push_back({PdfBlock::Kind::paragraph, ctx.t("privacy_office.report_empty")});
        for (const auto& row : rows) {
            std::string text = row["at"].get<std::string>() + " — " + row["user"].get<std::string>() + " (" +
                               row["organisation"].get<std::string>() + ")\n" + row["action"].get<std::string>() + " — " +
                               row["category"].get<std::string>() + " · " + row["purpose"].get<std::string>() + "\n" +
                               row["decision"].get<std::string>() + ": " + row["reason"].get<std::string>();
            if (row["break_glass"].get<bool>()) text += " · " + ctx.t("privacy_office.break_glass_flag");
            doc.blocks.push_back({PdfBlock::Kind::small, text});
        }
        http::Response res;
        res.content_type = "application/pdf";
        res.set_header("Content-Disposition", "inline; filename=\"access-" + std::to_string(id) + ".pdf\"");
        res.body = render_pdf(doc);
        return res;
    }
    model["file"] = file;
    model["agency"] = agency;
    model["generated"] = generated;
    model["rows"] = rows;
    model["has_rows"] = !rows.empty();
    model["truncated"] = report->truncated;
    if (report->earlier_before) {
        std::string href = self + "?lang=" + std::string(code(ctx.lang)) + "&before=" + std::to_string(*report->earlier_before);
        if (from) href += "&from=" + from->iso();
        if (to) href += "&to=" + to->iso();
        model["earlier_href"] = href;
    }
    model["other_lang_href"] = self + "?lang=" + std::string(code(other(ctx.lang))) + query;
    model["other_lang_name"] = ctx.app.catalogue().t(other(ctx.lang), "lang.self");
    model["pdf_href"] = self + ".pdf?lang=" + std::string(code(ctx.lang)) + query;
    return ctx.app.page(ctx, "privacy_office.report_title", "privacy_report", model);
}

http::Response officer_report(Ctx& ctx, bool pdf) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::oversight, id);
    const std::string file = "/children/" + std::to_string(*id);
    return report_page(ctx, *id, file + "/access-report", file, d::Purpose::oversight, pdf);
}
http::Response access_report(Ctx& ctx) {
    return officer_report(ctx, false);
}
http::Response access_report_pdf(Ctx& ctx) {
    return officer_report(ctx, true);
}

// The family's own report (features/family): a family account on a file it has family access to.
http::Response family_report(Ctx& ctx, bool pdf) {
    auto id = ctx.family_file();
    if (!id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, d::parse_id(ctx.req.params["id"]));
    const std::string plan = "/family/children/" + std::to_string(*id);
    return report_page(ctx, *id, plan + "/access", plan, d::Purpose::coordination, pdf);
}
http::Response family_access_report(Ctx& ctx) {
    return family_report(ctx, false);
}
http::Response family_access_report_pdf(Ctx& ctx) {
    return family_report(ctx, true);
}

}  // namespace

json audit_row_view(const Ctx& ctx, const store::AuditEntry& e) {
    return audit_row(ctx, e);
}

void register_privacy_office_pages(WebApp& app) {
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    app.route("GET", "/privacy", {"privacy/home", S, R, home});
    app.route("GET", "/privacy/audit", {"privacy/audit", S, R, audit});
    app.route("GET", "/privacy/audit/export", {"privacy/audit/export", S, R, audit_export});
    app.route("GET", "/privacy/anomalies", {"privacy/anomalies", S, R, anomalies});
    app.route("GET", "/privacy/requests", {"privacy/requests", S, R, requests});
    app.route("GET", "/privacy/requests/new", {"privacy/requests/new", S, R, new_request});
    app.route("POST", "/privacy/requests/new", {"privacy/requests/create", S, W, create_request});
    app.route("GET", "/privacy/requests/{id}", {"privacy/requests/view", S, R, request_detail});
    app.route("POST", "/privacy/requests/{id}/extend", {"privacy/requests/extend", S, W, extend_request});
    app.route("POST", "/privacy/requests/{id}/close", {"privacy/requests/close", S, W, close_request});
    app.route("GET", "/privacy/breaches", {"privacy/breaches", S, R, breaches});
    app.route("GET", "/privacy/breaches/new", {"privacy/breaches/new", S, R, new_breach});
    app.route("POST", "/privacy/breaches/new", {"privacy/breaches/create", S, W, create_breach});
    app.route("GET", "/privacy/breaches/{id}", {"privacy/breaches/edit", S, R, edit_breach});
    app.route("POST", "/privacy/breaches/{id}", {"privacy/breaches/update", S, W, update_breach});
    app.route("POST", "/privacy/breaches/{id}/deactivate",
              {"privacy/breaches/deactivate", S, W, [](Ctx& ctx) { return toggle_breach(ctx, false); }});
    app.route("POST", "/privacy/breaches/{id}/reactivate",
              {"privacy/breaches/reactivate", S, W, [](Ctx& ctx) { return toggle_breach(ctx, true); }});
    app.route("GET", "/children/{id}/access-report", {"children/access_report", S, R, access_report});
    app.route("GET", "/family/children/{id}/access", {"family/access_report", S, R, family_access_report});
    app.route("GET", "/children/{id}/access-report.pdf", {"children/access_report_pdf", S, R, access_report_pdf});
    app.route("GET", "/family/children/{id}/access.pdf", {"family/access_report_pdf", S, R, family_access_report_pdf});
}

bool may_keep_privacy_office(const domain::Principal& p) {
    return std::any_of(p.grants.begin(), p.grants.end(),
                       [](const domain::Grant& g) { return g.role == domain::Role::privacy_officer; });
}

}  // namespace arrimage::web
