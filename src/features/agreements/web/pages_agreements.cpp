// The agreements registry (store::AgreementRepo, docs/AGREEMENTS.md).
//
//   /agreements                  the inventory, filtered by kind, status, scope, organisation
//                                and review due; its CSV and Excel exports
//                                (/agreements/export.csv, /agreements/export.xlsx)
//   /agreements/coverage         whether new agreements are needed: each CSP provider and
//                                participant against the agreement its role asks for, and the
//                                agreements their evaluations flagged
//   /agreements/new              the form that records one (coordinating agency administrators);
//                                ?kind=&party= fill it in for a gap of the coverage page
//   /agreements/{id}             an agreement: its parties and terms, what may be done with it
//                                now (activate, review, renew, expire, terminate), its
//                                evaluations and the form that adds one, its history
//   /agreements/{id}/edit        its terms changed
//   /agreements/{id}/documents   its signed copy and other files, uploaded (POST) and each
//                                downloaded (/agreements/{id}/documents/{doc})
// A provider manager reads the agreements of their organisation, a ministry analyst every
// area's; anyone else is refused (403); an agreement the reader may not see is not found.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/agreements/store/agreement_repo.hpp"
#include "features/agreements/web/agreement_pages.hpp"
#include "interop/csv.hpp"
#include "interop/xlsx.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

std::string agreement_href(std::int64_t id) {
    return "/agreements/" + std::to_string(id);
}

bool may_read(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

store::AgreementRepo agreements(Ctx& ctx) {
    return store::AgreementRepo(*ctx.access);
}

std::string kind_label(Ctx& ctx, d::AgreementKind k) {
    return ctx.t("agreement.kind." + std::string(d::code(k)));
}
std::string status_label(Ctx& ctx, d::AgreementStatus s) {
    return ctx.t("agreement.status." + std::string(d::code(s)));
}
std::string scope_label(Ctx& ctx, d::AgreementScope s) {
    return ctx.t("agreement.scope." + std::string(d::code(s)));
}

std::string parties_text(Ctx& ctx, const store::AgreementSummary& s) {
    std::string out;
    for (const auto& p : s.parties) out += (out.empty() ? "" : "; ") + in_lang(ctx, p.name_fr, p.name_en);
    return out;
}
std::string scopes_text(Ctx& ctx, const store::AgreementSummary& s) {
    std::string out;
    for (auto sc : s.scopes) out += (out.empty() ? "" : "; ") + scope_label(ctx, sc);
    return out;
}
std::string expiry_text(Ctx& ctx, const store::AgreementSummary& s) {
    return s.expires_on.empty() ? ctx.t("agreement.no_expiry") : s.expires_on;
}

// ---------------------------------------------------------------- the inventory

d::InventoryQuery inventory_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("kind")),         trim(ctx.req.query_param("status")), trim(ctx.req.query_param("scope")),
            trim(ctx.req.query_param("organisation")), trim(ctx.req.query_param("review")), trim(ctx.req.query_param("page"))};
}

std::string query_string(const d::InventoryQuery& q) {
    std::string out;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        out += (out.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(v);
    };
    add("kind", q.kind);
    add("status", q.status);
    add("scope", q.scope);
    add("organisation", q.organisation);
    add("review", q.review);
    add("page", q.page);
    return out;
}

// A select's options with "all" as its empty choice first.
std::vector<Option> with_all(Ctx& ctx, std::vector<Option> options) {
    options.insert(options.begin(), Option{"", ctx.t("agreement.filter_all")});
    return options;
}

json filter_form(Ctx& ctx, const d::InventoryQuery& q, const std::vector<FieldError>& errors,
                 const std::vector<store::AgreementParty>& parties) {
    // The organisations to filter by: the parties of the agreements the reader may see.
    std::vector<Option> organisations;
    for (const auto& p : parties) organisations.push_back({std::to_string(p.id), in_lang(ctx, p.name_fr, p.name_en)});
    std::sort(organisations.begin(), organisations.end(), [](const Option& a, const Option& b) { return a.label < b.label; });
    // A filter naming an organisation keeps its choice even when nothing matched.
    if (!q.organisation.empty() &&
        std::none_of(organisations.begin(), organisations.end(), [&](const Option& o) { return o.value == q.organisation; }))
        organisations.push_back({q.organisation, q.organisation});
    FormBuilder f(ctx, "/agreements", "agreement.filter_apply");
    f.query()
        .field({.name = "kind",
                .label_key = "agreement.field.kind",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_agreement_kinds(), "agreement.kind."))},
               q.kind)
        .field({.name = "status",
                .label_key = "agreement.field.status",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_agreement_statuses(), "agreement.status."))},
               q.status)
        .field({.name = "scope",
                .label_key = "agreement.field.scope",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_agreement_scopes(), "agreement.scope."))},
               q.scope)
        .field({.name = "organisation",
                .label_key = "agreement.field.organisation",
                .type = "select",
                .options = with_all(ctx, organisations)},
               q.organisation)
        .field({.name = "review",
                .label_key = "agreement.field.review",
                .type = "select",
                .options = {{"", ctx.t("agreement.filter_all")}, {"due", ctx.t("agreement.review_due_soon")}}},
               q.review)
        .errors(errors);
    return f.build();
}

http::Response inventory_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto query = inventory_query(ctx);
    auto list = agreements(ctx).inventory_page(query);
    std::vector<FieldError> errors;
    if (!list) {
        if (list.error().code != Errc::Invalid) return ctx.app.refused(ctx, list.error());
        errors = list.error().fields;
        list = agreements(ctx).inventory_page({});  // the first page of everything, under the field errors
        if (!list) return ctx.app.refused(ctx, list.error());
    }
    auto parties = agreements(ctx).parties_seen();
    if (!parties) return ctx.app.refused(ctx, parties.error());
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    json rows = json::array();
    for (const auto& s : list->rows)
        rows.push_back({{"href", agreement_href(s.id)},
                        {"reference", s.reference},
                        {"title", in_lang(ctx, s.title_fr, s.title_en)},
                        {"area", in_lang(ctx, s.area_fr, s.area_en)},
                        {"kind", kind_label(ctx, s.kind)},
                        {"parties", parties_text(ctx, s)},
                        {"status", status_label(ctx, s.status)},
                        {"review_due", s.review_due},
                        {"review_late", s.review_late},
                        {"expires_on", expiry_text(ctx, s)},
                        {"evaluated", s.last_evaluated_on.empty() ? ctx.t("agreement.never") : s.last_evaluated_on}});
    // The exports take every page; the page links keep the filters.
    d::InventoryQuery filters = errors.empty() ? query : d::InventoryQuery{};
    filters.page.clear();
    const std::string qs = query_string(filters);
    const std::int64_t pages = (list->total + d::inventory_page_size - 1) / d::inventory_page_size;
    auto page_href = [&](int n) {
        d::InventoryQuery q = filters;
        if (n > 1) q.page = std::to_string(n);
        const std::string s = query_string(q);
        return "/agreements" + s;
    };
    json model = {{"rows", rows},
                  {"has_rows", !rows.empty()},
                  {"count", ctx.t("agreement.count", {std::to_string(list->total)})},
                  {"analyst", analyst},
                  {"filter", filter_form(ctx, query, errors, *parties)},
                  {"csv_href", "/agreements/export.csv" + qs},
                  {"xlsx_href", "/agreements/export.xlsx" + qs}};
    if (pages > 1) {
        model["pager"] = {{"label", ctx.t("agreement.page_of", {std::to_string(list->page), std::to_string(pages)})}};
        if (list->page > 1)
            model["pager"]["previous_href"] = page_href(static_cast<int>(std::min<std::int64_t>(list->page - 1, pages)));
        if (list->page < pages) model["pager"]["next_href"] = page_href(list->page + 1);
    }
    if (agreements(ctx).may_manage()) model["new_href"] = "/agreements/new";
    if (agreements(ctx).may_manage() || analyst) model["coverage_href"] = "/agreements/coverage";
    return ctx.app.page(ctx, "agreement.list_title", "agreements", model, errors.empty() ? 200 : 422);
}

// The inventory to export: the reader's, filtered; bad filters are refused (422).
Result<std::vector<store::AgreementSummary>> exported(Ctx& ctx) {
    if (!may_read(ctx)) return Error::forbidden();
    return agreements(ctx).inventory(inventory_query(ctx));
}

std::vector<std::string> export_header(Ctx& ctx) {
    return {ctx.t("agreement.col.reference"),  ctx.t("agreement.col.title"),     ctx.t("agreement.col.area"),
            ctx.t("agreement.col.kind"),       ctx.t("agreement.col.parties"),   ctx.t("agreement.col.scopes"),
            ctx.t("agreement.col.status"),     ctx.t("agreement.col.effective"), ctx.t("agreement.col.expires"),
            ctx.t("agreement.col.review_due"), ctx.t("agreement.col.evaluated")};
}
std::vector<std::string> export_line(Ctx& ctx, const store::AgreementSummary& s) {
    return {s.reference,
            in_lang(ctx, s.title_fr, s.title_en),
            in_lang(ctx, s.area_fr, s.area_en),
            kind_label(ctx, s.kind),
            parties_text(ctx, s),
            scopes_text(ctx, s),
            status_label(ctx, s.status),
            s.effective_on,
            s.expires_on,
            s.review_due,
            s.last_evaluated_on};
}

http::Response export_csv(Ctx& ctx) {
    auto list = exported(ctx);
    if (!list) return ctx.app.refused(ctx, list.error());
    std::string out = interop::spreadsheet_record(export_header(ctx));
    for (const auto& s : *list) out += interop::spreadsheet_record(export_line(ctx, s));
    return download(std::move(out), "text/csv; charset=utf-8", "agreements.csv");
}

http::Response export_xlsx(Ctx& ctx) {
    auto list = exported(ctx);
    if (!list) return ctx.app.refused(ctx, list.error());
    interop::XlsxSheet sheet;
    sheet.name = ctx.t("agreement.sheet_name");
    std::vector<interop::XlsxCell> head;
    for (auto& h : export_header(ctx)) head.push_back({std::move(h), {}, true});
    sheet.rows.push_back(std::move(head));
    for (const auto& s : *list) {
        std::vector<interop::XlsxCell> line;
        for (auto& v : export_line(ctx, s)) line.push_back({std::move(v), {}, false});
        sheet.rows.push_back(std::move(line));
    }
    return download(interop::xlsx_workbook({sheet}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "agreements.xlsx");
}

// ---------------------------------------------------------------- coverage

http::Response coverage_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto report = agreements(ctx).coverage();
    if (!report) return ctx.app.refused(ctx, report.error());
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    const bool manager = agreements(ctx).may_manage();
    json rows = json::array();
    for (const auto& r : report->rows) {
        json held = json::array();
        for (const auto& a : r.agreements)
            held.push_back({{"href", agreement_href(a.id)},
                            {"reference", a.reference},
                            {"status", status_label(ctx, a.status)},
                            {"expires_on", a.expires_on}});
        json row = {{"organisation", in_lang(ctx, r.name_fr, r.name_en)},
                    {"area", in_lang(ctx, r.area_fr, r.area_en)},
                    {"role", ctx.t("csp_role." + std::string(d::code(r.role)))},
                    {"required", kind_label(ctx, r.required)},
                    {"state", ctx.t("agreement.coverage." + std::string(d::code(r.state)))},
                    {"gap", r.state != d::CoverageState::covered},
                    {"agreements", held},
                    {"has_agreements", !held.empty()}};
        if (manager && r.state != d::CoverageState::covered && r.state != d::CoverageState::draft_only)
            row["record_href"] =
                "/agreements/new?kind=" + std::string(d::code(r.required)) + "&party=" + std::to_string(r.organisation_id);
        rows.push_back(std::move(row));
    }
    json flagged = json::array();
    for (const auto& s : report->flagged)
        flagged.push_back({{"href", agreement_href(s.id)},
                           {"reference", s.reference},
                           {"title", in_lang(ctx, s.title_fr, s.title_en)},
                           {"area", in_lang(ctx, s.area_fr, s.area_en)},
                           {"parties", parties_text(ctx, s)},
                           {"evaluated", s.last_evaluated_on}});
    json model = {
        {"rows", rows},
        {"has_rows", !rows.empty()},
        {"summary", ctx.t("agreement.coverage_summary", {std::to_string(report->covered), std::to_string(report->gaps)})},
        {"flagged", flagged},
        {"has_flagged", !flagged.empty()},
        {"analyst", analyst},
        {"back_href", "/agreements"}};
    return ctx.app.page(ctx, "agreement.coverage_title", "agreement_coverage", model);
}

// ---------------------------------------------------------------- recording and changing terms

d::AgreementTermsForm posted_terms(Ctx& ctx) {
    return {trim(ctx.form("title_fr")),   trim(ctx.form("title_en")),   trim(ctx.form("kind")),
            ctx.form_all("scopes"),       ctx.form_all("parties"),      trim(ctx.form("effective_on")),
            trim(ctx.form("expires_on")), trim(ctx.form("review_due")), ctx.form("summary")};
}

d::AgreementTermsForm form_of(const store::AgreementRecord& r) {
    d::AgreementTermsForm f;
    f.title_fr = r.summary.title_fr;
    f.title_en = r.summary.title_en;
    f.kind = std::string(d::code(r.summary.kind));
    for (auto s : r.summary.scopes) f.scopes.emplace_back(d::code(s));
    for (const auto& p : r.summary.parties) f.parties.push_back(std::to_string(p.id));
    f.effective_on = r.summary.effective_on;
    f.expires_on = r.summary.expires_on;
    f.review_due = r.summary.review_due;
    f.summary = r.summary_text;
    return f;
}

// The terms form: `extra` are parties already named that the area's list does not hold.
Result<json> terms_form(Ctx& ctx, const std::string& action, const d::AgreementTermsForm& posted,
                        const std::vector<FieldError>& errors, std::optional<int> version, const std::string& cancel,
                        const std::vector<store::AgreementParty>& extra = {}) {
    auto choices = agreements(ctx).party_choices();
    if (!choices) return choices.error();
    std::vector<Option> parties;
    for (const auto& c : *choices) parties.push_back({std::to_string(c.id), in_lang(ctx, c.name_fr, c.name_en)});
    for (const auto& p : extra)
        if (std::none_of(parties.begin(), parties.end(), [&](const Option& o) { return o.value == std::to_string(p.id); }))
            parties.push_back({std::to_string(p.id), in_lang(ctx, p.name_fr, p.name_en)});
    FormBuilder f(ctx, action, version ? "agreement.save_submit" : "agreement.record_submit");
    if (version) f.field({.name = "version", .type = "hidden"}, std::to_string(*version));
    f.field({.name = "title_fr", .label_key = "agreement.field.title_fr", .required = true}, posted.title_fr)
        .field({.name = "title_en", .label_key = "agreement.field.title_en", .required = true}, posted.title_en)
        .field({.name = "kind",
                .label_key = "agreement.field.kind",
                .type = "radios",
                .required = true,
                .hint_key = "agreement.hint.kind",
                .options = options_of(ctx, d::all_agreement_kinds(), "agreement.kind.")},
               posted.kind)
        .multi({.name = "parties",
                .label_key = "agreement.field.parties",
                .type = "checkboxes",
                .required = true,
                .hint_key = "agreement.hint.parties",
                .options = parties},
               posted.parties)
        .multi({.name = "scopes",
                .label_key = "agreement.field.scopes",
                .type = "checkboxes",
                .required = true,
                .options = options_of(ctx, d::all_agreement_scopes(), "agreement.scope.")},
               posted.scopes)
        .field({.name = "effective_on", .label_key = "agreement.field.effective_on", .type = "date", .required = true},
               posted.effective_on)
        .field({.name = "expires_on",
                .label_key = "agreement.field.expires_on",
                .type = "date",
                .hint_key = "agreement.hint.expires_on"},
               posted.expires_on)
        .field({.name = "review_due",
                .label_key = "agreement.field.review_due",
                .type = "date",
                .required = true,
                .hint_key = "agreement.hint.review_due"},
               posted.review_due)
        .field(
            {.name = "summary", .label_key = "agreement.field.summary", .type = "textarea", .hint_key = "agreement.hint.summary"},
            posted.summary)
        .errors(errors)
        .cancel(cancel);
    return f.build();
}

http::Response new_page(Ctx& ctx, const d::AgreementTermsForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto form = terms_form(ctx, "/agreements", posted, errors, std::nullopt, "/agreements");
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("agreement.new_title")}, {"intro", ctx.t("agreement.new_intro")}, {"form", *form}};
    return ctx.app.page(ctx, "agreement.new_title", "agreement_form", model, status);
}

// A gap of the coverage page: the kind asked for, the agency and the organisation as parties.
// Only what is in the lists is taken; anything else leaves the form empty there.
http::Response show_new(Ctx& ctx) {
    d::AgreementTermsForm prefill;
    if (auto kind = d::parse_agreement_kind(trim(ctx.req.query_param("kind")))) prefill.kind = std::string(d::code(*kind));
    if (auto party = d::parse_id(trim(ctx.req.query_param("party")))) {
        prefill.parties.push_back(std::to_string(*party));
        if (ctx.acting && ctx.acting->role == d::Role::ca_admin)
            prefill.parties.push_back(std::to_string(ctx.acting->organisation_id));
    }
    return new_page(ctx, prefill, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_terms(ctx);
    auto id = agreements(ctx).create(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, 422);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, agreement_href(*id), "agreement.recorded");
}

std::optional<std::int64_t> agreement_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

http::Response edit_page(Ctx& ctx, std::int64_t id, const std::optional<d::AgreementTermsForm>& posted,
                         const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = agreements(ctx).agreement(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    if (!r->may_edit)
        return ctx.app.refused(ctx, agreements(ctx).may_manage() ? Error::conflict("agreement.closed") : Error::forbidden());
    auto form = terms_form(ctx, agreement_href(id) + "/edit", posted ? *posted : form_of(*r), errors, r->version,
                           agreement_href(id), r->summary.parties);
    if (!form) return ctx.app.refused(ctx, form.error());
    json model = {{"heading", ctx.t("agreement.edit_title", {r->summary.reference})}, {"form", *form}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "agreement.edit_page_title", "agreement_form", model, status);
}

http::Response show_edit(Ctx& ctx) {
    auto id = agreement_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return edit_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_edit(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = agreement_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const auto posted = posted_terms(ctx);
    auto done = agreements(ctx).update(*id, form_version(ctx), posted);
    if (!done) {
        std::vector<FieldError> errors;
        std::string conflict;
        // Changed meanwhile: the form shows the agreement as it is now, not what was posted over it.
        return refused_on_page(ctx, done.error(), errors, conflict, [&](int status) {
            return edit_page(ctx, *id, conflict.empty() ? std::optional(posted) : std::nullopt, errors, conflict, status);
        });
    }
    return ctx.app.see_other(ctx, agreement_href(*id), "agreement.saved");
}

// ---------------------------------------------------------------- one agreement

// What was posted to the agreement page's forms, shown again with their errors.
struct AgreementForms {
    std::string event;  // the move whose form the errors belong to
    std::string note;
    d::RenewalForm renewal;
    d::EvaluationForm evaluation;
    std::string document_kind;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

json action_forms(Ctx& ctx, std::int64_t id, const store::AgreementRecord& r, const AgreementForms& forms) {
    json out = json::array();
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.event == code;
        FormBuilder f(ctx, agreement_href(id) + "/" + code, "agreement.event." + code);
        f.id_prefix(code + "-");
        if (e == d::AgreementEvent::renew) {
            f.field({.name = "expires_on", .label_key = "agreement.field.new_expires_on", .type = "date", .required = true},
                    mine ? forms.renewal.expires_on : std::string())
                .field({.name = "review_due", .label_key = "agreement.field.new_review_due", .type = "date", .required = true},
                       mine ? forms.renewal.review_due : std::string());
        }
        f.field({.name = "note",
                 .label_key = e == d::AgreementEvent::terminate ? "agreement.field.reason" : "agreement.field.note",
                 .type = "textarea",
                 .required = e == d::AgreementEvent::terminate},
                mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("agreement.event_heading." + code)},
                       {"help", ctx.t("agreement.event_help." + code)},
                       {"form", f.build()}});
    }
    return out;
}

json evaluation_form(Ctx& ctx, std::int64_t id, const AgreementForms& forms) {
    const bool mine = forms.event == "evaluation";
    const d::EvaluationForm posted =
        mine ? forms.evaluation : d::EvaluationForm{date_of(ctx.app.clock().now()).iso(), {}, {}, {}, {}, {}, {}};
    FormBuilder f(ctx, agreement_href(id) + "/evaluations", "agreement.evaluation_submit");
    f.id_prefix("evaluation-")
        .field({.name = "evaluated_on", .label_key = "agreement.field.evaluated_on", .type = "date", .required = true},
               posted.evaluated_on)
        .field({.name = "expected_results", .label_key = "agreement.field.expected_results", .type = "textarea"},
               posted.expected_results)
        .field({.name = "indicators",
                .label_key = "agreement.field.indicators",
                .type = "textarea",
                .hint_key = "agreement.hint.indicators"},
               posted.indicators)
        .field({.name = "findings", .label_key = "agreement.field.findings", .type = "textarea", .required = true},
               posted.findings)
        .field({.name = "adjustments", .label_key = "agreement.field.adjustments", .type = "textarea"}, posted.adjustments)
        .field({.name = "outcome",
                .label_key = "agreement.field.outcome",
                .type = "radios",
                .required = true,
                .options = options_of(ctx, d::all_evaluation_outcomes(), "agreement.outcome.")},
               posted.outcome)
        .field({.name = "next_review_due",
                .label_key = "agreement.field.next_review_due",
                .type = "date",
                .hint_key = "agreement.hint.next_review_due"},
               posted.next_review_due);
    if (mine) f.errors(forms.errors);
    return f.build();
}

std::string accepted_types() {
    std::string out;
    for (const auto& t : d::document_types()) out += (out.empty() ? "." : ",.") + std::string(t.extension);
    return out;
}

json document_form(Ctx& ctx, std::int64_t id, const AgreementForms& forms) {
    const bool mine = forms.event == "document";
    FormBuilder f(ctx, agreement_href(id) + "/documents", "agreement.document_submit");
    f.id_prefix("document-")
        .field({.name = "kind",
                .label_key = "agreement.field.document_kind",
                .type = "select",
                .required = true,
                .options = options_of(ctx, d::all_document_kinds(), "agreement.document_kind.")},
               mine ? forms.document_kind : std::string("signed_copy"))
        .field({.name = "file",
                .label_key = "agreement.field.file",
                .type = "file",
                .required = true,
                .hint_key = "agreement.hint.file",
                .accept = accepted_types()});
    if (mine) f.errors(forms.errors);
    return f.build();
}

// "2.4 MB", "310 KB": a file's size for people, in the user's language's decimal mark.
std::string size_text(Ctx& ctx, std::int64_t bytes) {
    if (bytes < 1024 * 1024)
        return ctx.t("agreement.size_kb", {std::to_string(std::max<std::int64_t>(1, (bytes + 1023) / 1024))});
    const std::int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return ctx.t("agreement.size_mb",
                 {std::to_string(tenths / 10) + (ctx.lang == Lang::fr ? "," : ".") + std::to_string(tenths % 10)});
}

std::string event_label(Ctx& ctx, const std::string& code) {
    const std::string key = "agreement.history." + code;
    return ctx.app.catalogue().has(ctx.lang, key) ? ctx.t(key) : code;
}

http::Response agreement_page(Ctx& ctx, std::int64_t id, const AgreementForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = agreements(ctx).agreement(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    json parties = json::array();
    for (const auto& p : s.parties) parties.push_back({{"name", in_lang(ctx, p.name_fr, p.name_en)}, {"agency", p.agency}});
    json scopes = json::array();
    for (auto sc : s.scopes) scopes.push_back(scope_label(ctx, sc));
    json evaluations = json::array();
    for (const auto& v : r->evaluations) {
        json e = {{"evaluated_on", v.evaluated_on.iso()},
                  {"outcome", ctx.t("agreement.outcome." + std::string(d::code(v.outcome)))},
                  {"findings", v.findings}};
        if (!v.expected_results.empty()) e["expected_results"] = v.expected_results;
        if (!v.indicators.empty()) e["indicators"] = v.indicators;
        if (!v.adjustments.empty()) e["adjustments"] = v.adjustments;
        if (v.next_review_due) e["next_review_due"] = v.next_review_due->iso();
        evaluations.push_back(std::move(e));
    }
    json history = json::array();
    for (const auto& e : r->events)
        history.push_back(
            {{"at", display_minute(e.at)},
             {"event", event_label(ctx, e.event)},
             {"status", d::parse_agreement_status(e.status) ? status_label(ctx, *d::parse_agreement_status(e.status)) : e.status},
             {"who", e.user_name.empty() ? ctx.t("agreement.system") : e.user_name},
             {"note", e.note}});
    json documents = json::array();
    for (const auto& doc : r->documents)
        documents.push_back({{"href", agreement_href(id) + "/documents/" + std::to_string(doc.id)},
                             {"filename", doc.filename},
                             {"kind", ctx.t("agreement.document_kind." + std::string(d::code(doc.kind)))},
                             {"size", size_text(ctx, doc.size)},
                             {"uploaded", display_minute(doc.uploaded_at)},
                             {"who", doc.uploaded_by},
                             {"checksum", doc.checksum}});
    json model = {{"heading", in_lang(ctx, s.title_fr, s.title_en)},
                  {"reference", s.reference},
                  {"area", in_lang(ctx, s.area_fr, s.area_en)},
                  {"kind", kind_label(ctx, s.kind)},
                  {"status", status_label(ctx, s.status)},
                  {"effective_on", s.effective_on},
                  {"expires_on", expiry_text(ctx, s)},
                  {"review_due", s.review_due},
                  {"review_late", s.review_late},
                  {"parties", parties},
                  {"scopes", scopes},
                  {"summary", r->summary_text},
                  {"evaluations", evaluations},
                  {"has_evaluations", !evaluations.empty()},
                  {"history", history},
                  {"documents", documents},
                  {"has_documents", !documents.empty()},
                  {"actions", action_forms(ctx, id, *r, forms)},
                  {"back_href", "/agreements"}};
    model["has_actions"] = !model["actions"].empty();
    if (r->may_edit) {
        model["edit_href"] = agreement_href(id) + "/edit";
        model["evaluation_form"] = evaluation_form(ctx, id, forms);
        model["document_form"] = document_form(ctx, id, forms);
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "agreement.title", "agreement", model, status);
}

http::Response show_agreement(Ctx& ctx) {
    auto id = agreement_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return agreement_page(ctx, *id, {}, 200);
}

http::Response fire(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = agreement_id(ctx);
    auto event = d::parse_agreement_event(ctx.req.params["event"]);
    if (!id || !event) return ctx.app.error_page(ctx, Error::not_found());
    AgreementForms forms;
    forms.event = std::string(d::code(*event));
    forms.note = ctx.form("note");
    forms.renewal = {trim(ctx.form("expires_on")), trim(ctx.form("review_due"))};
    auto done = agreements(ctx).fire(*id, *event, forms.note, forms.renewal);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return agreement_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, agreement_href(*id), "agreement.done." + forms.event);
}

http::Response post_evaluation(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = agreement_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    AgreementForms forms;
    forms.event = "evaluation";
    forms.evaluation = {
        trim(ctx.form("evaluated_on")), ctx.form("expected_results"), ctx.form("indicators"),           ctx.form("findings"),
        ctx.form("adjustments"),        trim(ctx.form("outcome")),    trim(ctx.form("next_review_due"))};
    auto done = agreements(ctx).add_evaluation(*id, forms.evaluation);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return agreement_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, agreement_href(*id) + "#evaluations-heading", "agreement.evaluated");
}

http::Response post_document(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = agreement_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    AgreementForms forms;
    forms.event = "document";
    forms.document_kind = trim(ctx.form("kind"));
    // One file: none chosen (or sent as an empty part) is "missing"; more than one is refused.
    const http::FormPart* file = nullptr;
    for (const auto& f : ctx.files)
        if (f.name == "file" && !(f.filename.empty() && f.data.empty())) {
            if (file) {
                forms.errors.push_back({"file", "agreement.document_one", {}});
                return agreement_page(ctx, *id, forms, 422);
            }
            file = &f;
        }
    d::DocumentUpload upload{forms.document_kind, file ? file->filename : std::string(),
                             file ? std::string_view(file->data) : std::string_view()};
    auto done = agreements(ctx).add_document(*id, upload);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return agreement_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, agreement_href(*id) + "#documents-heading", "agreement.document_added");
}

// ASCII for the filename parameter (anything else, and quotes and backslashes, as "_"), the
// name itself in filename* (RFC 6266, RFC 8187).
std::string attachment_header(const std::string& filename) {
    std::string ascii;
    for (char32_t c : code_points(filename))
        ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode(filename);
}

http::Response download_document(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = agreement_id(ctx);
    auto doc = d::parse_id(ctx.req.params["doc"]);
    if (!id || !doc) return ctx.app.error_page(ctx, Error::not_found());
    auto file = agreements(ctx).document(*id, *doc);
    if (!file) return ctx.app.refused(ctx, file.error());
    http::Response res;
    res.content_type = file->content_type;
    // Always a download, never shown in the browser; and if it were, nothing in it would run.
    res.set_header("Content-Disposition", attachment_header(file->filename));
    res.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
    res.body = std::move(file->data);
    return res;
}

}  // namespace

void register_agreement_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/agreements", {"agreements/list", S, R, inventory_page});
    app.route("GET", "/agreements/export.csv", {"agreements/export", S, R, export_csv});
    app.route("GET", "/agreements/export.xlsx", {"agreements/export_xlsx", S, R, export_xlsx});
    app.route("GET", "/agreements/coverage", {"agreements/coverage", S, R, coverage_page});
    app.route("GET", "/agreements/new", {"agreements/new", S, R, show_new});
    app.route("POST", "/agreements", {"agreements/create", S, W, post_new});
    app.route("GET", "/agreements/{id}", {"agreements/show", S, R, show_agreement});
    app.route("GET", "/agreements/{id}/edit", {"agreements/edit", S, R, show_edit});
    app.route("POST", "/agreements/{id}/edit", {"agreements/update", S, W, post_edit});
    app.route("POST", "/agreements/{id}/evaluations", {"agreements/evaluate", S, W, post_evaluation});
    app.route("POST", "/agreements/{id}/documents", {"agreements/document_add", S, W, post_document});
    app.route("GET", "/agreements/{id}/documents/{doc}", {"agreements/document", S, R, download_document});
    app.route("POST", "/agreements/{id}/{event}", {"agreements/fire", S, W, fire});
    // The navigation's link, for those who read agreements.
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (may_read(ctx)) layout["nav_agreements"] = true;
    });
}

}  // namespace arrimage::web
