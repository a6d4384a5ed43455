// Complaints and issue resolution (store::ComplaintRepo, docs/COMPLAINTS.md).
//
//   /complaints/new, POST /complaints   the form that raises one: the public form (no account:
//                                       the area first, then the form), a family account's (their
//                                       area, their name and email filled in) and a provider staff
//                                       member's (a complaint, or a conflict with another provider
//                                       or a family)
//   /complaints                         the register the reader works: the area's for its agency's
//                                       administrator, the ones they own, the ones they raised;
//                                       filtered by status, category and overdue, and by the
//                                       agency's triage (severity, source, owner) for those who
//                                       may read it
//   /complaints/export.csv              the agency's register as filtered, without anyone's
//                                       contact details
//   /complaints/settings                the area's deadlines (the agency's administrator)
//   /complaints/{id}                    a complaint: its deadline, its history and the forms of what
//                                       the reader may do now (triage, acknowledge, resolve, appeal,
//                                       decide the appeal, close, withdraw; a step taken; another
//                                       owner)
// The repository decides who may read and do what (deny by default) and records each access;
// the pages only keep away, on record, the roles that have no register at all (the system
// administrator, the ministry's analyst). Whoever raised a complaint reads where it stands and
// what was answered, not the agency's triage: neither its severity nor who works it (by name,
// by filter or in the history). Nothing here logs what a complaint says.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/complaints/domain/complaints.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "features/complaints/web/complaint_pages.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "interop/csv.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

std::string complaint_href(std::int64_t id) {
    return "/complaints/" + std::to_string(id);
}

// The repository under the request's access context; what it tells people (the agency of a new
// complaint, an owner named, the raiser of an answer) is written in both languages, with links
// on the installation's public address.
store::ComplaintRepo complaints(Ctx& ctx) {
    return store::ComplaintRepo(*ctx.access, {ctx.app.catalogue(), ctx.app.config().public_base_url});
}

std::optional<std::int64_t> param_id(Ctx& ctx, const char* name) {
    return d::parse_id(ctx.req.params[name]);
}

// Staff whose role has a register and may raise a complaint (the repository's roles).
bool staff_with_register(const Ctx& ctx) {
    if (!ctx.acting || !ctx.access || !ctx.access->signed_in()) return false;
    switch (ctx.acting->role) {
        case d::Role::ca_admin:
        case d::Role::coordinator:
        case d::Role::provider_manager:
        case d::Role::participant_staff:
        case d::Role::privacy_officer:
            return true;
        default:
            return false;
    }
}

bool family_reader(const Ctx& ctx) {
    return ctx.family_account() && ctx.access && ctx.access->signed_in();
}

bool has_register(const Ctx& ctx) {
    return family_reader(ctx) || staff_with_register(ctx);
}

// Who is raising one: nobody signed in (the public form), a family account, staff; anyone else
// signed in (a system administrator, the ministry's analyst, a session without a membership)
// has no part in complaints.
enum class Raiser { visitor, family, staff, none };

Raiser raiser_of(const Ctx& ctx) {
    if (!ctx.signed_in()) return Raiser::visitor;
    if (family_reader(ctx)) return Raiser::family;
    if (staff_with_register(ctx)) return Raiser::staff;
    return Raiser::none;
}

// A role with no register asking for one: refused, and the refusal kept on record as any other
// refused access to personal information.
http::Response refuse(Ctx& ctx) {
    return ctx.app.refused_audited(ctx, Error::forbidden());
}

// The agency's administrator of the reader's area: the one reader whose settings the
// repository hands out.
bool is_agency(Ctx& ctx) {
    return ctx.acting && ctx.acting->role == d::Role::ca_admin && complaints(ctx).settings().ok();
}

// Staff acting for a coordinating agency in a role that may own complaints (the repository's
// owners): the agency's staff who work the complaints given to them.
bool agency_staff(Ctx& ctx) {
    if (!staff_with_register(ctx) || ctx.acting->role == d::Role::participant_staff) return false;
    const auto org = ctx.identity().find_organisation(ctx.acting->organisation_id);
    return org && std::find(org->csp_roles.begin(), org->csp_roles.end(),
                            std::string(d::code(d::CspRole::coordinating_agency))) != org->csp_roles.end();
}

// How a reader reads the register: the agency's administrator every row whole; the agency's
// staff the severity and owner of the rows they own; everyone else (a family account, a
// provider's staff, the agency's staff on what they raised) where each stands, not the triage.
enum class Reader { agency, owner, raiser };

Reader register_reader(Ctx& ctx) {
    if (is_agency(ctx)) return Reader::agency;
    if (agency_staff(ctx)) return Reader::owner;
    return Reader::raiser;
}

// Whether the reader reads a row's triage (its severity and owner).
bool reads_triage(const Ctx& ctx, Reader reader, const store::ComplaintRow& r) {
    if (reader == Reader::agency) return true;
    return reader == Reader::owner && r.owner_id != 0 && ctx.user && r.owner_id == ctx.user->id;
}

template <typename E>
std::string label(Ctx& ctx, const char* prefix, E value) {
    return ctx.t(std::string(prefix) + std::string(d::code(value)));
}

// A code as an events table stores it, in words (as stored when the catalogue has none).
std::string code_text(Ctx& ctx, const std::string& prefix, const std::string& code) {
    const std::string key = prefix + code;
    return ctx.app.catalogue().has(ctx.lang, key) ? ctx.t(key) : code;
}

// A language by its own name ("Français", "English"), as the form offers them.
std::string lang_name(Ctx& ctx, const std::string& code) {
    const auto l = parse_lang(code);
    return l ? ctx.app.catalogue().t(*l, "lang.self") : code;
}

// What the agency is working against now, in words; overdue and due soon are said in words too
// (the template makes overdue bold), never by colour alone.
void add_deadline(Ctx& ctx, json& view, const std::optional<d::DeadlineState>& s) {
    if (!s) {
        view["deadline"] = ctx.t("complaint.no_deadline");
        return;
    }
    view["deadline"] = ctx.t("complaint.deadline_on", {label(ctx, "complaint.deadline.", s->which), s->due.iso()});
    view["overdue"] = s->overdue;
    view["due_soon"] = s->due_soon;
}

// A row of the register; its severity and owner only for a reader who reads its triage (an
// empty cell otherwise, set after present() so that the template does not look further up).
json row_view(Ctx& ctx, const store::ComplaintRow& r, bool triage) {
    json out = {{"href", complaint_href(r.id)},
                {"reference", r.reference},
                {"received", r.received_at.substr(0, 10)},
                {"kind", label(ctx, "complaint.kind.", r.kind)},
                {"source", label(ctx, "complaint.source.", r.source)},
                {"category", label(ctx, "complaint.category.", r.category)},
                {"status", label(ctx, "complaint.status.", r.status)}};
    add_deadline(ctx, out, r.deadline);
    out = present(out);
    out["severity"] = !triage      ? std::string()
                      : r.severity ? label(ctx, "complaint.severity.", *r.severity)
                                   : ctx.t("complaint.not_triaged");
    out["owner"] = !triage ? std::string() : r.owner_id != 0 ? r.owner_name : ctx.t("complaint.no_owner");
    return out;
}

// A form's error summary taken out of the form, to be shown under a heading of `level` (the
// shared form partial's is an h2, which would break the outline inside a section): null when the
// form has no errors.
json lift_errors(json& form, int level) {
    if (!form.contains("error_summary")) return nullptr;
    json out = {{"level", level}, {"items", std::move(form["error_summary"])}};
    form.erase("error_summary");
    return out;
}

// A select's options with "all" as its empty choice first; a value asked for that the list does
// not hold keeps its choice (a filter refused still shows what it asked).
std::vector<Option> with_all(Ctx& ctx, std::vector<Option> options, const std::string& asked) {
    if (!asked.empty() && std::none_of(options.begin(), options.end(), [&](const Option& o) { return o.value == asked; }))
        options.push_back({asked, asked});
    options.insert(options.begin(), Option{"", ctx.t("complaint.filter_all")});
    return options;
}

// ---------------------------------------------------------------- the register

d::ComplaintQueryForm register_query(Ctx& ctx) {
    d::ComplaintQueryForm q;
    q.status = trim(ctx.req.query_param("status"));
    q.category = trim(ctx.req.query_param("category"));
    q.severity = trim(ctx.req.query_param("severity"));
    q.source = trim(ctx.req.query_param("source"));
    q.owner = trim(ctx.req.query_param("owner"));
    q.overdue = trim(ctx.req.query_param("overdue"));
    return q;
}

// What the reader may filter by. A filter by severity or owner would tell a raiser how the
// agency rated their complaint, or to whom it went, by which rows it keeps: a raiser's are
// dropped (with the source, which tells them nothing), whatever the address asked. The agency's
// staff filter by severity among the complaints they own (a severity asked shows "mine": their
// own raised ones are not sorted by it) and by owner only as "mine".
d::ComplaintQueryForm allowed_query(d::ComplaintQueryForm q, Reader reader) {
    if (reader == Reader::raiser) {
        q.severity.clear();
        q.source.clear();
        q.owner.clear();
    } else if (reader == Reader::owner) {
        if (q.owner != "me") q.owner.clear();
        if (!q.severity.empty()) q.owner = "me";
    }
    return q;
}

std::string query_string(const d::ComplaintQueryForm& q) {
    std::string out;
    auto add = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        out += (out.empty() ? "?" : "&") + std::string(name) + "=" + percent_encode(v);
    };
    add("status", q.status);
    add("category", q.category);
    add("severity", q.severity);
    add("source", q.source);
    add("owner", q.owner);
    add("overdue", q.overdue);
    return out;
}

json filter_form(Ctx& ctx, Reader reader, const d::ComplaintQueryForm& q, const std::vector<FieldError>& errors,
                 const std::vector<store::ComplaintOwnerChoice>& owners) {
    std::vector<Option> statuses = {{"open", ctx.t("complaint.filter_open")}};
    for (const auto& o : options_of(ctx, d::all_complaint_statuses(), "complaint.status.")) statuses.push_back(o);
    FormBuilder f(ctx, "/complaints", "complaint.filter_apply");
    f.query()
        .field({.name = "status",
                .label_key = "complaint.field.status",
                .type = "select",
                .options = with_all(ctx, statuses, q.status)},
               q.status)
        .field({.name = "category",
                .label_key = "complaint.col.category",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_complaint_categories(), "complaint.category."), q.category)},
               q.category);
    if (reader != Reader::raiser) {
        std::vector<Option> owner_options = {{"me", ctx.t("complaint.filter_mine")}};
        for (const auto& o : owners) owner_options.push_back({std::to_string(o.user_id), o.name});
        f.field({.name = "severity",
                 .label_key = "complaint.field.severity",
                 .type = "select",
                 .hint_key = reader == Reader::owner ? "complaint.hint.severity_filter_owner" : "",
                 .options = with_all(ctx, options_of(ctx, d::all_complaint_severities(), "complaint.severity."), q.severity)},
                q.severity)
            .field({.name = "source",
                    .label_key = "complaint.field.source",
                    .type = "select",
                    .options = with_all(ctx, options_of(ctx, d::all_complaint_sources(), "complaint.source."), q.source)},
                   q.source)
            .field({.name = "owner",
                    .label_key = "complaint.field.owner",
                    .type = "select",
                    .options = with_all(ctx, owner_options, q.owner)},
                   q.owner);
    }
    f.field({.name = "overdue", .label_key = "complaint.field.overdue_only", .type = "checkbox"}, q.overdue).errors(errors);
    return f.build();
}

http::Response register_page(Ctx& ctx) {
    if (!has_register(ctx)) return refuse(ctx);
    auto repo = complaints(ctx);
    const Reader reader = register_reader(ctx);
    const auto asked = allowed_query(register_query(ctx), reader);
    d::ComplaintQuery query;
    auto errors = d::validate(asked, query);
    if (!errors.empty()) query = {};  // the whole register, under the field errors
    // One row more than the page shows: whether the register holds more than it.
    constexpr std::size_t shown_rows = store::ComplaintRepo::max_rows;
    auto list = repo.list(query, shown_rows + 1);
    if (!list && list.error().code == Errc::Invalid) {
        errors = list.error().fields;
        list = repo.list({}, shown_rows + 1);
    }
    if (!list) return ctx.app.refused(ctx, list.error());
    const bool truncated = list->size() > shown_rows;
    if (truncated) list->resize(shown_rows);
    std::vector<store::ComplaintOwnerChoice> owners;
    if (reader == Reader::agency) {
        auto choices = repo.owner_choices();
        if (!choices) return ctx.app.refused(ctx, choices.error());
        owners = std::move(*choices);
    }
    json rows = json::array();
    bool any_triage = false;
    for (const auto& r : *list) {
        const bool triage = reads_triage(ctx, reader, r);
        any_triage = any_triage || triage;
        rows.push_back(row_view(ctx, r, triage));
    }
    const bool family = family_reader(ctx);
    json filter = filter_form(ctx, reader, asked, errors, owners);
    json model = {{"rows", rows},
                  {"count", ctx.t("complaint.count", {std::to_string(list->size())})},
                  {"intro", ctx.t(reader == Reader::agency ? "complaint.intro_agency"
                                  : family                 ? "complaint.intro_family"
                                                           : "complaint.intro_staff")},
                  {"triage_columns", any_triage},
                  {"filter_errors", lift_errors(filter, 3)},
                  {"filter", filter}};
    if (truncated) model["truncated"] = ctx.t("complaint.truncated", {std::to_string(shown_rows)});
    if (reader == Reader::agency) {
        model["settings_href"] = "/complaints/settings";
        model["csv_href"] = "/complaints/export.csv" + (errors.empty() ? query_string(asked) : std::string());
    }
    if (reader != Reader::raiser) {
        const auto s = repo.owner_summary();
        if (s.open > 0)
            model["summary"] = {{"open", ctx.t("complaint.summary_open", {std::to_string(s.open)})},
                                {"overdue", ctx.t("complaint.summary_overdue", {std::to_string(s.overdue)})},
                                {"any_overdue", s.overdue > 0},
                                {"due_soon", ctx.t("complaint.summary_due_soon", {std::to_string(s.due_soon)})}};
    }
    return ctx.app.page(ctx, "complaint.list_title", "complaint_list", model, errors.empty() ? 200 : 422);
}

// The agency's register as a spreadsheet, filtered as the page is; bad filters are refused
// (422). No complainant's name or contact details: a file that travels names the complaint by
// its reference only.
http::Response export_csv(Ctx& ctx) {
    if (!has_register(ctx) || !is_agency(ctx)) return refuse(ctx);
    d::ComplaintQuery query;
    auto errors = d::validate(register_query(ctx), query);
    if (!errors.empty()) return ctx.app.error_page(ctx, Error::invalid(std::move(errors)));
    // The whole register as filtered, well past the page's limit: a year's complaints of a large
    // area fit many times over.
    auto list = complaints(ctx).list(query, 50000);
    if (!list) return ctx.app.refused(ctx, list.error());
    std::vector<std::string> header;
    for (const char* col :
         {"reference", "received", "kind", "source", "category", "severity", "status", "owner", "deadline", "due", "overdue"})
        header.push_back(ctx.t(std::string("complaint.col.") + col));
    std::string out = interop::spreadsheet_record(header);
    for (const auto& r : *list) {
        const auto& s = r.deadline;
        out +=
            interop::spreadsheet_record({r.reference, display_minute(r.received_at), label(ctx, "complaint.kind.", r.kind),
                                         label(ctx, "complaint.source.", r.source), label(ctx, "complaint.category.", r.category),
                                         r.severity ? label(ctx, "complaint.severity.", *r.severity) : std::string(),
                                         label(ctx, "complaint.status.", r.status), r.owner_id != 0 ? r.owner_name : "",
                                         s ? label(ctx, "complaint.deadline.", s->which) : std::string(),
                                         s ? s->due.iso() : std::string(), ctx.t(s && s->overdue ? "common.yes" : "common.no")});
    }
    return download(std::move(out), "text/csv; charset=utf-8", "complaint-register.csv");
}

// ---------------------------------------------------------------- the area's deadlines

http::Response settings_page(Ctx& ctx, const std::optional<d::ComplaintSettingsForm>& posted,
                             const std::vector<FieldError>& errors, int status) {
    if (!has_register(ctx) || !ctx.acting || ctx.acting->role != d::Role::ca_admin) return refuse(ctx);
    auto s = complaints(ctx).settings();
    if (!s) return s.error().code == Errc::Forbidden ? refuse(ctx) : ctx.app.refused(ctx, s.error());
    const d::ComplaintSettingsForm shown =
        posted ? *posted
               : d::ComplaintSettingsForm{std::to_string(s->acknowledge_days), std::to_string(s->resolve_days),
                                          std::to_string(s->appeal_days)};
    FormBuilder f(ctx, "/complaints/settings", "complaint.settings_submit");
    f.field({.name = "acknowledge_days",
             .label_key = "complaint.field.acknowledge_days",
             .required = true,
             .hint_key = "complaint.hint.acknowledge_days",
             .inputmode = "numeric"},
            shown.acknowledge_days)
        .field({.name = "resolve_days",
                .label_key = "complaint.field.resolve_days",
                .required = true,
                .hint_key = "complaint.hint.resolve_days",
                .inputmode = "numeric"},
               shown.resolve_days)
        .field({.name = "appeal_days",
                .label_key = "complaint.field.appeal_days",
                .required = true,
                .hint_key = "complaint.hint.appeal_days",
                .inputmode = "numeric"},
               shown.appeal_days)
        .errors(errors)
        .cancel("/complaints");
    return ctx.app.page(ctx, "complaint.settings_title", "complaint_settings", {{"form", f.build()}}, status);
}

http::Response show_settings(Ctx& ctx) {
    return settings_page(ctx, std::nullopt, {}, 200);
}

http::Response post_settings(Ctx& ctx) {
    if (!has_register(ctx) || !ctx.acting || ctx.acting->role != d::Role::ca_admin) return refuse(ctx);
    const d::ComplaintSettingsForm posted{trim(ctx.form("acknowledge_days")), trim(ctx.form("resolve_days")),
                                          trim(ctx.form("appeal_days"))};
    auto done = complaints(ctx).save_settings(posted);
    if (!done) {
        if (done.error().code == Errc::Invalid) return settings_page(ctx, posted, done.error().fields, 422);
        return done.error().code == Errc::Forbidden ? refuse(ctx) : ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, "/complaints/settings", "complaint.settings_saved");
}

// ---------------------------------------------------------------- raising one

d::ComplaintForm posted_form(Ctx& ctx) {
    d::ComplaintForm f;
    f.area = trim(ctx.req.query_param("area"));
    f.kind = trim(ctx.form("kind"));
    f.category = trim(ctx.form("category"));
    f.about_organisation = trim(ctx.form("about_organisation"));
    f.name = trim(ctx.form("name"));
    f.relation = trim(ctx.form("relation"));
    f.email = trim(ctx.form("email"));
    f.phone = trim(ctx.form("phone"));
    f.preferred_lang = trim(ctx.form("preferred_lang"));
    f.description = ctx.form("description");
    f.desired_outcome = ctx.form("desired_outcome");
    return f;
}

// The form as first shown: the page's language; a signed-in raiser's name and email from their
// account (they may change them: a parent may write for the other parent).
d::ComplaintForm blank_form(Ctx& ctx, Raiser raiser) {
    d::ComplaintForm f;
    f.area = trim(ctx.req.query_param("area"));
    f.preferred_lang = std::string(code(ctx.lang));
    if (raiser != Raiser::visitor && ctx.user) {
        f.name = ctx.user->display_name;
        f.email = ctx.user->email;
        if (parse_lang(ctx.user->preferred_lang)) f.preferred_lang = ctx.user->preferred_lang;
    }
    return f;
}

http::Response form_page(Ctx& ctx, Raiser raiser, const d::ComplaintForm& v, const std::vector<FieldError>& errors, int status) {
    if (raiser == Raiser::none) return refuse(ctx);
    auto repo = complaints(ctx);
    // The area: a signed-in raiser's own; the public form (and a family account with no file
    // yet) asks for it first, as the organisations offered and the agency that handles the
    // complaint depend on it. A single area needs no asking.
    std::optional<std::int64_t> area = raiser == Raiser::visitor ? std::nullopt : repo.raiser_area();
    const bool ask_area = !area;
    const char* title = raiser == Raiser::staff ? "complaint.new_title_staff" : "complaint.new_title";
    json model = {{"heading", ctx.t(title)},
                  {"intro", ctx.t(raiser == Raiser::staff    ? "complaint.new_intro_staff"
                                  : raiser == Raiser::family ? "complaint.new_intro_family"
                                                             : "complaint.new_intro")},
                  // A provider's complaint is read by its own managers too (they follow what their
                  // organisation raised).
                  {"privacy_note", ctx.t(raiser == Raiser::staff ? "complaint.privacy_note_staff" : "complaint.privacy_note")},
                  {"signed_in", raiser != Raiser::visitor}};
    const auto areas = repo.areas();
    const auto in_areas = [&](std::int64_t id) {
        return std::any_of(areas.begin(), areas.end(), [&](const store::ComplaintAreaChoice& a) { return a.id == id; });
    };
    // A signed-in raiser whose area has no coordinating agency has no one to complain to here:
    // said plainly instead of a form that could only be refused (on its "area", which it does not
    // show).
    const bool area_refused = std::any_of(errors.begin(), errors.end(), [](const FieldError& e) { return e.field == "area"; });
    if (!ask_area && (!in_areas(*area) || area_refused)) {
        model["no_agency"] = true;
        return ctx.app.page(ctx, title, "complaint_form", model, status);
    }
    std::string area_name;
    if (ask_area) {
        const auto asked = d::parse_id(v.area);
        for (const auto& a : areas) {
            if ((asked && a.id == *asked) || areas.size() == 1) {
                area = a.id;
                area_name = in_lang(ctx, a.name_fr, a.name_en);
            }
        }
        if (areas.size() > 1) {
            json list = json::array();
            for (const auto& a : areas)
                list.push_back(
                    {{"value", std::to_string(a.id)}, {"label", in_lang(ctx, a.name_fr, a.name_en)}, {"selected", area == a.id}});
            model["areas"] = list;
            model["area_chosen"] = area.has_value();
        }
        if (areas.empty() || !area) {
            model[areas.empty() ? "no_areas" : "choose_area_first"] = true;
            // A form sent for an area that is not (or no longer) one of them: the area's error on
            // its choice, linked from the summary; the other fields' errors belong to a form not
            // shown, and are dropped (a message for no field, such as the flood guard's, stays).
            json summary = json::array();
            for (const auto& e : errors) {
                if (e.field == "area") {
                    json item = {{"message", ctx.t(e.message_key, e.args)}};
                    if (model.contains("areas")) {
                        item["href"] = "#area";
                        model["area_error"] = item["message"];
                    }
                    summary.push_back(item);
                } else if (e.field.empty()) {
                    summary.push_back({{"message", ctx.t(e.message_key, e.args)}});
                }
            }
            model["error_summary"] = summary;
            return ctx.app.page(ctx, title, "complaint_form", model, status);
        }
        model["area_line"] = ctx.t("complaint.area_line", {area_name});
    }
    std::vector<Option> about;
    for (const auto& o : repo.organisations(*area)) about.push_back({std::to_string(o.id), in_lang(ctx, o.name_fr, o.name_en)});
    std::sort(about.begin(), about.end(), [](const Option& a, const Option& b) { return a.label < b.label; });
    about.insert(about.begin(), Option{"", ctx.t("complaint.about_none")});

    FormBuilder f(ctx, ask_area ? "/complaints?area=" + std::to_string(*area) : std::string("/complaints"), "complaint.submit");
    f.field({.name = "kind",
             .label_key = "complaint.field.kind",
             .type = "radios",
             .required = true,
             .hint_key = raiser == Raiser::staff ? "complaint.hint.kind_staff" : "complaint.hint.kind",
             .options = options_of(ctx, d::all_complaint_kinds(), "complaint.kind.")},
            v.kind)
        .field({.name = "category",
                .label_key = "complaint.field.category",
                .type = "radios",
                .required = true,
                .options = options_of(ctx, d::all_complaint_categories(), "complaint.category.")},
               v.category)
        .field({.name = "about_organisation",
                .label_key = "complaint.field.about_organisation",
                .type = "select",
                .hint_key = ask_area ? "complaint.hint.about_public" : "complaint.hint.about",
                .options = about},
               v.about_organisation)
        .field({.name = "description",
                .label_key = "complaint.field.description",
                .type = "textarea",
                .required = true,
                .hint_key = "complaint.hint.description"},
               v.description)
        .field({.name = "desired_outcome",
                .label_key = "complaint.field.desired_outcome",
                .type = "textarea",
                .hint_key = "complaint.hint.desired_outcome"},
               v.desired_outcome)
        .field({.name = "name",
                .label_key = "complaint.field.name",
                .hint_key = raiser == Raiser::visitor ? "complaint.hint.name" : "complaint.hint.name_account",
                .autocomplete = "name"},
               v.name);
    if (raiser != Raiser::staff)
        f.field({.name = "relation",
                 .label_key = "complaint.field.relation",
                 .type = "radios",
                 .options = options_of(ctx, d::all_complainant_relations(), "complaint.relation.")},
                v.relation);
    f.field({.name = "email",
             .label_key = "complaint.field.email",
             .type = "email",
             .hint_key = raiser == Raiser::visitor ? "complaint.hint.contact" : "",
             .autocomplete = "email"},
            v.email)
        .field({.name = "phone",
                .label_key = "complaint.field.phone",
                .type = "tel",
                .hint_key = "org.phone_hint",
                .autocomplete = "tel"},
               v.phone)
        .field({.name = "preferred_lang",
                .label_key = "complaint.field.preferred_lang",
                .type = "radios",
                .hint_key = "complaint.hint.preferred_lang",
                .options = lang_options(ctx)},
               v.preferred_lang)
        .errors(errors);
    model["form"] = f.build();
    return ctx.app.page(ctx, title, "complaint_form", model, status);
}

http::Response show_form(Ctx& ctx) {
    const auto raiser = raiser_of(ctx);
    return form_page(ctx, raiser, blank_form(ctx, raiser), {}, 200);
}

http::Response submit(Ctx& ctx) {
    const auto raiser = raiser_of(ctx);
    if (raiser == Raiser::none) return refuse(ctx);
    const auto posted = posted_form(ctx);
    if (raiser == Raiser::visitor) {
        // The public form is open to anyone: a flood from one address stops after a few
        // complaints (the public forms' flood guard, counted apart from the referral form's by
        // its own pseudonym of the address and against its own limit). A send refused below is
        // rolled back, not counted.
        const auto& cfg = ctx.app.config();
        store::ReferralRepo sends(*ctx.public_access);
        const std::string address = ctx.app.pseudonym("complaint-form", ctx.req.remote_addr);
        const auto since = ctx.app.clock().now() - cfg.throttle_window;
        if (sends.public_sends(address, since) >= cfg.max_public_complaints_per_address)
            return form_page(ctx, raiser, posted, {{"", "complaint.throttled", {std::to_string(cfg.throttle_window.count())}}},
                             429);
        sends.record_public_send(address, since);
    }
    auto made = complaints(ctx).raise(posted, code(ctx.lang));
    if (!made) {
        if (made.error().code == Errc::Invalid) return form_page(ctx, raiser, posted, made.error().fields, 422);
        return ctx.app.refused(ctx, made.error());
    }
    if (raiser != Raiser::visitor) return ctx.app.see_other(ctx, complaint_href(made->id), "complaint.raised");
    const bool contact = !posted.email.empty() || !posted.phone.empty();
    json model = {{"reference_line", ctx.t("complaint.sent_reference", {made->reference})},
                  {"acknowledge_line", ctx.t("complaint.sent_acknowledge_by", {made->acknowledge_due})},
                  {"next", ctx.t(contact ? "complaint.sent_next_contact" : "complaint.sent_next_anonymous")}};
    return ctx.app.page(ctx, "complaint.sent_title", "complaint_sent", model);
}

// ---------------------------------------------------------------- one complaint

// What was posted to the complaint page's forms, shown again with their errors.
struct ComplaintForms {
    std::string form;  // the form the errors belong to: an event's code, "step" or "reassign"
    d::TriageForm triage;
    std::string note, owner;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

std::vector<Option> owner_options(const std::vector<store::ComplaintOwnerChoice>& owners) {
    std::vector<Option> out;
    for (const auto& o : owners) out.push_back({std::to_string(o.user_id), o.name});
    return out;
}

// Whether an event's form must carry a note (domain::validate_note refuses it empty).
bool note_required(d::ComplaintEvent e) {
    std::string ignored;
    return !d::validate_note(e, "", ignored).empty();
}

Result<json> action_forms(Ctx& ctx, const store::ComplaintRecord& r, const ComplaintForms& forms,
                          const std::optional<std::vector<store::ComplaintOwnerChoice>>& owners) {
    json out = json::array();
    const std::string href = complaint_href(r.row.id);
    // Whoever raised it appeals or withdraws their own complaint: told so in their own terms, not
    // as the agency doing it on their behalf.
    const bool self = r.relationship == d::Relationship::self;
    for (auto e : r.available) {
        const std::string code(d::code(e));
        const bool mine = forms.form == code;
        const bool own_words = self && (e == d::ComplaintEvent::appeal || e == d::ComplaintEvent::withdraw);
        FormBuilder f(ctx, href + "/" + code, "complaint.submit_event." + code);
        f.id_prefix(code + "-");
        if (e == d::ComplaintEvent::triage) {
            if (!owners) return Error::forbidden();
            const d::TriageForm shown =
                mine ? forms.triage : d::TriageForm{std::string(d::code(r.row.category)), std::string(), std::string()};
            f.field({.name = "category",
                     .label_key = "complaint.col.category",
                     .type = "select",
                     .required = true,
                     .hint_key = "complaint.hint.triage_category",
                     .options = options_of(ctx, d::all_complaint_categories(), "complaint.category.")},
                    shown.category)
                .field({.name = "severity",
                        .label_key = "complaint.field.severity",
                        .type = "radios",
                        .required = true,
                        .hint_key = "complaint.hint.severity",
                        .options = options_of(ctx, d::all_complaint_severities(), "complaint.severity.")},
                       shown.severity)
                .field({.name = "owner",
                        .label_key = "complaint.field.owner",
                        .type = "select",
                        .required = true,
                        .hint_key = "complaint.hint.owner",
                        .options = owner_options(*owners)},
                       shown.owner);
        } else {
            f.field({.name = "note",
                     .label_key = "complaint.note." + code,
                     .type = "textarea",
                     .required = note_required(e),
                     .hint_key = (own_words ? "complaint.note_hint_self." : "complaint.note_hint.") + code},
                    mine ? forms.note : std::string());
        }
        if (mine) f.errors(forms.errors);
        json form = f.build();
        json errors = lift_errors(form, 4);  // under the action's h3
        out.push_back({{"id", "action-" + code},
                       {"heading", ctx.t("complaint.event_heading." + code)},
                       {"help", ctx.t((own_words ? "complaint.event_help_self." : "complaint.event_help.") + code)},
                       {"errors", errors},
                       {"form", form}});
    }
    return out;
}

http::Response complaint_page(Ctx& ctx, std::int64_t id, const ComplaintForms& forms, int status) {
    if (!has_register(ctx)) return refuse(ctx);
    auto repo = complaints(ctx);
    auto r = repo.complaint(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& row = r->row;
    // Whoever raised it reads where it stands and what was answered, not the agency's triage.
    const bool internal = r->relationship != d::Relationship::self;
    const bool offers_triage =
        std::find(r->available.begin(), r->available.end(), d::ComplaintEvent::triage) != r->available.end();
    // Another owner for one that has one: an untriaged complaint gets its first owner by triage
    // (the form comes back only to show the errors of one sent anyway).
    const bool offers_reassign = r->may_reassign && (row.owner_id != 0 || forms.form == "reassign");
    std::optional<std::vector<store::ComplaintOwnerChoice>> owners;
    if (offers_triage || offers_reassign) {
        auto choices = repo.owner_choices();
        if (!choices) return ctx.app.refused(ctx, choices.error());
        owners = std::move(*choices);
    }
    // Who did what: by name for the agency's staff and the owner. Whoever raised it reads the
    // agency's moves as the agency's, not as a staff member's: only the receipt and the moves of
    // the reader or of whoever raised it (a colleague, for a provider's manager) keep their
    // names. The history names people, not accounts: a name is matched as shown.
    std::string raiser_name;
    for (const auto& e : r->events)
        if (e.event == "receive") raiser_name = e.user_name;
    const std::string reader_name = ctx.user ? ctx.user->display_name : std::string();
    json history = json::array();
    for (const auto& e : r->events) {
        std::string who = e.user_name;
        if (!internal && e.event != "receive" && (who.empty() || (who != reader_name && who != raiser_name)))
            who = ctx.t("complaint.who_agency");
        else if (who.empty())
            who = ctx.t(e.event == "receive" ? "complaint.who_public" : "complaint.who_system");
        history.push_back({{"at", display_minute(e.at)},
                           {"event", code_text(ctx, "complaint.event.", e.event)},
                           {"status", code_text(ctx, "complaint.status.", e.status)},
                           {"who", who},
                           {"note", e.event == "escalate" ? code_text(ctx, "complaint.deadline.", e.note) : e.note}});
    }
    auto actions = action_forms(ctx, *r, forms, owners);
    if (!actions) return ctx.app.refused(ctx, actions.error());
    const std::string kind(d::code(row.kind));
    json model = {
        {"heading", ctx.t("complaint.heading." + kind, {row.reference})},
        {"reference", row.reference},
        {"kind", label(ctx, "complaint.kind.", row.kind)},
        {"source", label(ctx, "complaint.source.", row.source)},
        {"category", label(ctx, "complaint.category.", row.category)},
        {"status", label(ctx, "complaint.status.", row.status)},
        {"received", display_minute(row.received_at)},
        {"about", in_lang(ctx, row.about_fr, row.about_en)},
        {"raised_by_org", in_lang(ctx, row.raised_by_org_fr, row.raised_by_org_en)},
        {"acknowledge_due", r->acknowledge_due},
        {"resolve_due", r->resolve_due},
        {"description", r->description},
        {"desired_outcome", r->desired_outcome},
        {"resolution", r->resolution},
        {"resolved_on", r->resolved_on},
        {"appeal_reason", r->appeal_reason},
        {"appeal_decision", r->appeal_decision},
        {"complainant",
         present({{"name", r->name.empty() ? ctx.t("complaint.anonymous") : r->name},
                  {"relation", r->relation.empty() ? std::string() : code_text(ctx, "complaint.relation.", r->relation)},
                  {"email", r->email},
                  {"phone", r->phone},
                  {"lang", lang_name(ctx, r->preferred_lang)}})},
        {"history", history},
        {"actions", *actions}};
    add_deadline(ctx, model, row.deadline);
    if (!r->appeal_due.empty()) {
        // Before an appeal, the last day to make one; once appealed, the day it must be decided by.
        model["appeal_due"] = r->appeal_due;
        model["appeal_due_label"] =
            ctx.t(r->appeal_reason.empty() ? "complaint.col.appeal_until" : "complaint.col.appeal_decided_by");
    }
    if (internal) {
        model["internal"] = true;
        model["severity"] = row.severity ? label(ctx, "complaint.severity.", *row.severity) : ctx.t("complaint.not_triaged");
        model["owner"] = row.owner_id != 0 ? row.owner_name : ctx.t("complaint.no_owner");
    }
    if (r->may_add_step) {
        const bool mine = forms.form == "step";
        FormBuilder f(ctx, complaint_href(id) + "/step", "complaint.step_submit");
        f.id_prefix("step-").field({.name = "note",
                                    .label_key = "complaint.field.step",
                                    .type = "textarea",
                                    .required = true,
                                    .hint_key = "complaint.hint.step"},
                                   mine ? forms.note : std::string());
        if (mine) f.errors(forms.errors);
        json form = f.build();
        model["step_errors"] = lift_errors(form, 3);  // under the section's h2
        model["step_form"] = form;
    }
    if (offers_reassign && owners) {
        const bool mine = forms.form == "reassign";
        FormBuilder f(ctx, complaint_href(id) + "/owner", "complaint.reassign_submit");
        f.id_prefix("reassign-")
            .field({.name = "owner",
                    .label_key = "complaint.field.new_owner",
                    .type = "select",
                    .required = true,
                    .hint_key = "complaint.hint.reassign",
                    .options = owner_options(*owners)},
                   mine ? forms.owner : std::to_string(row.owner_id));
        if (mine) f.errors(forms.errors);
        json form = f.build();
        model["reassign_errors"] = lift_errors(form, 3);
        model["reassign_form"] = form;
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "complaint.title", "complaint", present(model), status);
}

http::Response show_complaint(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return complaint_page(ctx, *id, {}, 200);
}

// The checks every form of a complaint's page makes first: the reader has a register, the
// complaint's id is one. Refused or not found: the response.
std::optional<http::Response> not_posted(Ctx& ctx, std::optional<std::int64_t> id) {
    if (!has_register(ctx)) return refuse(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return std::nullopt;
}

http::Response post_step(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_posted(ctx, id)) return std::move(*refusal);
    ComplaintForms forms;
    forms.form = "step";
    forms.note = ctx.form("note");
    auto done = complaints(ctx).add_step(*id, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return complaint_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, complaint_href(*id) + "#history-heading", "complaint.step_added");
}

http::Response post_owner(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_posted(ctx, id)) return std::move(*refusal);
    ComplaintForms forms;
    forms.form = "reassign";
    forms.owner = trim(ctx.form("owner"));
    auto done = complaints(ctx).reassign(*id, forms.owner);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return complaint_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, complaint_href(*id), "complaint.reassigned");
}

// A move of the complaint's table (domain::complaint_lifecycle()); the repository decides who
// may fire it.
http::Response fire(Ctx& ctx) {
    auto id = param_id(ctx, "id");
    if (auto refusal = not_posted(ctx, id)) return std::move(*refusal);
    auto event = d::parse_complaint_event(ctx.req.params["event"]);
    if (!event) return ctx.app.error_page(ctx, Error::not_found());
    ComplaintForms forms;
    forms.form = std::string(d::code(*event));
    forms.triage = {trim(ctx.form("category")), trim(ctx.form("severity")), trim(ctx.form("owner"))};
    forms.note = ctx.form("note");
    auto done = complaints(ctx).fire(*id, *event, forms.triage, forms.note);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return complaint_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, complaint_href(*id), "complaint.done." + forms.form);
}

}  // namespace

void register_complaint_pages(WebApp& app) {
    const auto P = Access::public_page;
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // The literal paths before the {id} ones that would take them (the first route that matches
    // wins). The form is public: anyone may complain, with or without an account.
    app.route("GET", "/complaints", {"complaints/list", S, R, register_page});
    app.route("GET", "/complaints/new", {"complaints/new", P, R, show_form});
    app.route("POST", "/complaints", {"complaints/raise", P, W, submit});
    app.route("GET", "/complaints/export.csv", {"complaints/export", S, R, export_csv});
    app.route("GET", "/complaints/settings", {"complaints/settings", S, R, show_settings});
    app.route("POST", "/complaints/settings", {"complaints/settings_save", S, W, post_settings});
    app.route("GET", "/complaints/{id}", {"complaints/show", S, R, show_complaint});
    app.route("POST", "/complaints/{id}/step", {"complaints/step", S, W, post_step});
    app.route("POST", "/complaints/{id}/owner", {"complaints/reassign", S, W, post_owner});
    app.route("POST", "/complaints/{id}/{event}", {"complaints/fire", S, W, fire});
    // The navigation's link, for staff who have a register (a family account finds it on its
    // home page); the footer's link to the form for them too (visitors and family accounts have
    // it from the layout), not for the roles that would be refused it.
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (staff_with_register(ctx)) layout["nav_complaints"] = true, layout["may_complain"] = true;
    });
}

}  // namespace arrimage::web
