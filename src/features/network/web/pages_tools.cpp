// The library of common tools and forms (store::ToolRepo, docs/NETWORK.md "The library of common
// tools and forms").
//
//   /network/tools                    the library the reader may see, filtered (?kind=,
//                                     ?mandatory=1|0, ?retired=1: the retired tools too)
//   /network/tools/adoption           the mandatory tools × the area's providers, each standing
//   /network/tools/new                the form that adds one (coordinating agency administrators)
//   /network/tools/{id}               a tool: its terms, its files, where the providers stand on it
//                                     and what the reader may do with it
//   /network/tools/{id}/edit          its terms changed, from the version the form was shown with
//   /network/tools/{id}/files         its file in one language uploaded (multipart: lang, file)
//   /network/tools/{id}/files/{lang}  that file downloaded, as it was uploaded
//   /network/tools/{id}/adopt         a provider manager confirms their organisation uses its
//                                     current version
//   /network/tools/{id}/retire        retired, or put back in the library
// The repository decides who may read and do what; the pages show what it hands out. Bad input
// is answered 422 on the page it was typed on, with its fields' errors; a change over a version
// changed meanwhile, or an adoption no longer possible, is answered 409 with its message.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/network/domain/tools.hpp"
#include "features/network/store/tool_repo.hpp"
#include "features/network/web/network_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

// Input the reader can correct: the page again with its fields' errors.
constexpr int bad_input = 422;
constexpr int no_longer_possible = 409;

const std::string library_path = "/network/tools";
const std::string adoption_path = "/network/tools/adoption";

std::string tool_href(std::int64_t id) {
    return library_path + "/" + std::to_string(id);
}

// The library's readers: the coordinating agency's administrators, the providers' managers,
// coordinators and staff (who must use the tools) and the ministry's analysts (the repository
// narrows what each of them sees).
bool may_read(const Ctx& ctx) {
    if (!ctx.acting || !ctx.access) return false;
    switch (ctx.acting->role) {
        case d::Role::ca_admin:
        case d::Role::provider_manager:
        case d::Role::coordinator:
        case d::Role::participant_staff:
        case d::Role::ministry_analyst:
            return true;
        default:
            return false;
    }
}

// Those who read the network's page (/network): the others have no page to go back to.
bool reads_network(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

bool analyst(const Ctx& ctx) {
    return ctx.acting && ctx.acting->role == d::Role::ministry_analyst;
}

store::ToolRepo tools(Ctx& ctx) {
    return store::ToolRepo(*ctx.access);
}

std::optional<std::int64_t> path_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

std::string kind_label(Ctx& ctx, d::ToolKind k) {
    return ctx.t("network.tools.kind." + std::string(d::code(k)));
}

std::string lang_label(Ctx& ctx, Lang lang) {
    return ctx.t("network.tools.lang." + std::string(code(lang)));
}

std::string mandatory_label(Ctx& ctx, bool mandatory) {
    return ctx.t(mandatory ? "network.tools.mandatory" : "network.tools.optional");
}

// Where a provider stands, in words: not adopted set apart in bold with a mark beside it, an
// earlier version in bold (with the version it adopted when known), never by colour alone
// (templates/_training_standing).
json standing_view(Ctx& ctx, d::AdoptionStanding s, const std::string& adopted_label) {
    switch (s) {
        case d::AdoptionStanding::adopted_current:
            return {{"label", ctx.t("network.tools.standing.adopted_current")}, {"ok", true}};
        case d::AdoptionStanding::adopted_older:
            // The version it adopted, where the page knows it.
            return {{"label", adopted_label.empty() ? ctx.t("network.tools.standing.adopted_older")
                                                    : ctx.t("network.tools.standing_older_value", {adopted_label})},
                    {"warn", true}};
        case d::AdoptionStanding::not_adopted:
            break;
    }
    return {{"label", ctx.t("network.tools.standing.not_adopted")}, {"late", true}};
}

// "2.4 MB", "310 KB": a file's size for people, in the reader's language's decimal mark.
std::string size_text(Ctx& ctx, std::int64_t bytes) {
    if (bytes < 1024 * 1024)
        return ctx.t("network.tools.size_kb", {std::to_string(std::max<std::int64_t>(1, (bytes + 1023) / 1024))});
    const std::int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return ctx.t("network.tools.size_mb",
                 {std::to_string(tenths / 10) + (ctx.lang == Lang::fr ? "," : ".") + std::to_string(tenths % 10)});
}

std::string version_text(Ctx& ctx, const store::ToolSummary& s) {
    return ctx.t("network.tools.version_value", {s.version_label, s.version_set_on});
}

// The languages a tool has a file in, in words.
std::string files_text(Ctx& ctx, const store::ToolSummary& s) {
    if (s.file_fr && s.file_en) return ctx.t("network.tools.files_both");
    if (s.file_fr) return ctx.t("network.tools.files_fr_only");
    if (s.file_en) return ctx.t("network.tools.files_en_only");
    return ctx.t("network.tools.files_none");
}

std::vector<Option> lang_choices(Ctx& ctx) {
    return {{"fr", lang_label(ctx, Lang::fr)}, {"en", lang_label(ctx, Lang::en)}};
}

// ---------------------------------------------------------------- the library

d::ToolQuery library_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("kind")), trim(ctx.req.query_param("mandatory")), trim(ctx.req.query_param("retired"))};
}

bool filtered(const d::ToolQuery& q) {
    return !q.kind.empty() || !q.mandatory.empty() || q.retired == "1";
}

json filter_form(Ctx& ctx, const d::ToolQuery& q, const std::vector<FieldError>& errors) {
    auto kinds = options_of(ctx, d::all_tool_kinds(), "network.tools.kind.");
    kinds.insert(kinds.begin(), Option{"", ctx.t("network.tools.filter_any_kind")});
    FormBuilder f(ctx, library_path, "network.tools.filter_apply");
    f.query()
        .field({.name = "kind", .label_key = "network.tools.field.kind", .type = "select", .options = kinds}, q.kind)
        .field({.name = "mandatory",
                .label_key = "network.tools.field.mandatory_filter",
                .type = "select",
                .options = {{"", ctx.t("network.tools.filter_any_mandatory")},
                            {"1", ctx.t("network.tools.filter_mandatory_only")},
                            {"0", ctx.t("network.tools.filter_optional_only")}}},
               q.mandatory)
        .field({.name = "retired", .label_key = "network.tools.field.retired_filter", .type = "checkbox"},
               q.retired == "1" ? "1" : "")
        .errors(errors);
    return f.build();
}

http::Response library_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto query = library_query(ctx);
    d::ToolFilter filter;
    auto errors = d::validate(query, filter);
    // The whole library under the filter's errors.
    if (!errors.empty()) filter = {};
    auto list = tools(ctx).list(filter);
    if (!list) return ctx.app.refused(ctx, list.error());
    bool show_own = false;
    json rows = json::array();
    for (const auto& s : *list) {
        json row = {{"href", tool_href(s.id)},
                    {"title", in_lang(ctx, s.title_fr, s.title_en)},
                    {"kind", kind_label(ctx, s.kind)},
                    {"mandatory", s.mandatory},
                    {"mandatory_label", mandatory_label(ctx, s.mandatory)},
                    {"version", version_text(ctx, s)},
                    {"files", files_text(ctx, s)},
                    {"area", in_lang(ctx, s.area_fr, s.area_en)},
                    {"retired", s.retired}};
        if (s.own) {
            row["own"] = standing_view(ctx, *s.own, {});
            show_own = true;
        }
        rows.push_back(std::move(row));
    }
    const bool narrowed = errors.empty() && filtered(query);
    json model = {{"rows", rows},
                  {"count", ctx.t("network.tools.count", {std::to_string(list->size())})},
                  {"none", ctx.t(narrowed ? "network.tools.none" : "network.tools.empty")},
                  {"analyst", analyst(ctx)},
                  {"show_own", show_own},
                  {"filter", filter_form(ctx, query, errors)}};
    if (reads_network(ctx)) model["back_href"] = "/network";
    if (tools(ctx).may_manage()) model["new_href"] = library_path + "/new";
    if (tools(ctx).may_read_adoption()) model["adoption_href"] = adoption_path;
    return ctx.app.page(ctx, "network.tools.list_title", "tool_library", model, errors.empty() ? 200 : bad_input);
}

// ---------------------------------------------------------------- adding and changing terms

d::ToolForm posted_terms(Ctx& ctx) {
    d::ToolForm f;
    f.title_fr = trim(ctx.form("title_fr"));
    f.title_en = trim(ctx.form("title_en"));
    f.description_fr = ctx.form("description_fr");
    f.description_en = ctx.form("description_en");
    f.kind = trim(ctx.form("kind"));
    f.mandatory = trim(ctx.form("mandatory"));
    f.version_label = trim(ctx.form("version_label"));
    return f;
}

d::ToolForm form_of(const store::ToolRecord& r) {
    const auto& t = r.terms;
    return {t.title_fr,     t.title_en, t.description_fr, t.description_en, std::string(d::code(t.kind)), t.mandatory ? "1" : "",
            t.version_label};
}

// The terms form. With `version` (an edit), the hidden version is the one the form was first
// shown with, kept when it comes back with field errors, so that a change made meanwhile is still
// noticed.
json terms_form(Ctx& ctx, const std::string& action, const d::ToolForm& posted, const std::vector<FieldError>& errors,
                std::optional<int> version, const std::string& cancel) {
    FormBuilder f(ctx, action, version ? "network.tools.save_submit" : "network.tools.create_submit");
    if (version) f.field({.name = "version", .type = "hidden"}, std::to_string(*version));
    f.field({.name = "title_fr", .label_key = "network.tools.field.title_fr", .required = true}, posted.title_fr)
        .field({.name = "title_en", .label_key = "network.tools.field.title_en", .required = true}, posted.title_en)
        .field({.name = "description_fr",
                .label_key = "network.tools.field.description_fr",
                .type = "textarea",
                .hint_key = "network.tools.hint.description"},
               posted.description_fr)
        .field({.name = "description_en",
                .label_key = "network.tools.field.description_en",
                .type = "textarea",
                .hint_key = "network.tools.hint.description"},
               posted.description_en)
        .field({.name = "kind",
                .label_key = "network.tools.field.kind",
                .type = "radios",
                .required = true,
                .options = options_of(ctx, d::all_tool_kinds(), "network.tools.kind.")},
               posted.kind)
        .field({.name = "version_label",
                .label_key = "network.tools.field.version_label",
                .required = true,
                .hint_key = "network.tools.hint.version_label"},
               posted.version_label)
        .field({.name = "mandatory",
                .label_key = "network.tools.field.mandatory",
                .type = "checkbox",
                .hint_key = "network.tools.hint.mandatory"},
               posted.mandatory)
        .errors(errors)
        .cancel(cancel);
    return f.build();
}

http::Response new_page(Ctx& ctx, const d::ToolForm& posted, const std::vector<FieldError>& errors, int status) {
    if (!may_read(ctx) || !tools(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    json model = {{"heading", ctx.t("network.tools.new_title")},
                  {"intro", ctx.t("network.tools.new_intro")},
                  {"back_href", library_path},
                  {"back", ctx.t("network.tools.back")},
                  {"form", terms_form(ctx, library_path, posted, errors, std::nullopt, library_path)}};
    return ctx.app.page(ctx, "network.tools.new_title", "tool_form", model, status);
}

http::Response show_new(Ctx& ctx) {
    d::ToolForm blank;
    blank.kind = std::string(d::code(d::ToolKind::form));
    return new_page(ctx, blank, {}, 200);
}

http::Response post_new(Ctx& ctx) {
    if (!may_read(ctx) || !tools(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    const auto posted = posted_terms(ctx);
    auto id = tools(ctx).create(posted);
    if (!id) {
        if (id.error().code == Errc::Invalid) return new_page(ctx, posted, id.error().fields, bad_input);
        return ctx.app.refused(ctx, id.error());
    }
    return ctx.app.see_other(ctx, tool_href(*id), "network.tools.created");
}

// What was posted on the edit form, with the version it was shown with.
struct PostedTerms {
    d::ToolForm terms;
    int version = 0;
};

http::Response edit_page(Ctx& ctx, std::int64_t id, const std::optional<PostedTerms>& posted,
                         const std::vector<FieldError>& errors, const std::string& conflict_key, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = tools(ctx).tool(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    if (!r->may_edit) return ctx.app.refused(ctx, Error::forbidden());
    json model = {{"heading", ctx.t("network.tools.edit_title", {in_lang(ctx, r->summary.title_fr, r->summary.title_en)})},
                  {"intro", ctx.t("network.tools.edit_intro")},
                  {"back_href", tool_href(id)},
                  {"back", ctx.t("network.tools.back_tool")},
                  {"form", terms_form(ctx, tool_href(id) + "/edit", posted ? posted->terms : form_of(*r), errors,
                                      posted ? posted->version : r->version, tool_href(id))}};
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "network.tools.edit_page_title", "tool_form", model, status);
}

http::Response show_edit(Ctx& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return edit_page(ctx, *id, std::nullopt, {}, {}, 200);
}

http::Response post_edit(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const PostedTerms posted{posted_terms(ctx), form_version(ctx)};
    auto done = tools(ctx).update(*id, posted.version, posted.terms);
    if (!done) {
        if (done.error().code == Errc::Invalid) return edit_page(ctx, *id, posted, done.error().fields, {}, bad_input);
        // Changed meanwhile: the form shows the tool as it is now, with its current version, not
        // what was posted over an older one.
        if (done.error().code == Errc::Conflict)
            return edit_page(ctx, *id, std::nullopt, {}, done.error().message_key, no_longer_possible);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, tool_href(*id), "network.tools.saved");
}

// ---------------------------------------------------------------- one tool

// What was refused on one of the tool page's own forms: `event` names it ("file", "adopt",
// "retire"), so its errors show on it and what was chosen stays chosen.
struct ToolForms {
    std::string event;
    std::string lang;  // the file form's language
    std::vector<FieldError> errors;
    std::string conflict_key;
};

std::string accepted_types() {
    std::string out;
    for (const auto& t : d::document_types()) out += (out.empty() ? "." : ",.") + std::string(t.extension);
    return out;
}

json file_form(Ctx& ctx, std::int64_t id, const ToolForms& forms) {
    const bool mine = forms.event == "file";
    FormBuilder f(ctx, tool_href(id) + "/files", "network.tools.file_submit");
    f.id_prefix("file-")
        .field({.name = "lang",
                .label_key = "network.tools.field.lang",
                .type = "radios",
                .required = true,
                .options = lang_choices(ctx)},
               mine ? forms.lang : std::string())
        .field({.name = "file",
                .label_key = "network.tools.field.file",
                .type = "file",
                .required = true,
                .hint_key = "network.tools.hint.file",
                .accept = accepted_types()});
    if (mine) f.errors(forms.errors);
    return f.build();
}

http::Response tool_page(Ctx& ctx, std::int64_t id, const ToolForms& forms, int status) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = tools(ctx).tool(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    const auto& t = r->terms;

    // One row per language, with its file or the words that there is none.
    json files = json::array();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        json row = {{"lang", lang_label(ctx, lang)}};
        const auto f =
            std::find_if(r->files.begin(), r->files.end(), [&](const store::ToolFileInfo& i) { return i.lang == lang; });
        if (f != r->files.end()) {
            json file = {{"href", tool_href(id) + "/files/" + std::string(code(lang))},
                         {"filename", f->filename},
                         {"size", size_text(ctx, f->size)},
                         {"version", f->version_label},
                         {"older", f->version_label != s.version_label},
                         {"uploaded", display_minute(f->uploaded_at)}};
            // The analyst reads no one's name.
            if (!f->uploaded_by.empty()) file["who"] = f->uploaded_by;
            row["file"] = std::move(file);
        }
        files.push_back(std::move(row));
    }

    json adoptions = json::array();
    for (const auto& a : r->adoptions) {
        json row = {{"name", in_lang(ctx, a.name_fr, a.name_en)},
                    {"standing", standing_view(ctx, a.standing, a.adopted_label)},
                    {"adopted_label", a.adopted_label.empty() ? ctx.t("network.tools.never_adopted") : a.adopted_label},
                    {"adopted_on", a.adopted_on}};
        if (!analyst(ctx)) row["adopted_by"] = a.adopted_by;
        adoptions.push_back(std::move(row));
    }

    const std::string title = in_lang(ctx, s.title_fr, s.title_en);
    json model = {
        {"heading", title},
        {"title_fr", s.title_fr},
        {"title_en", s.title_en},
        {"area", in_lang(ctx, s.area_fr, s.area_en)},
        {"kind", kind_label(ctx, s.kind)},
        {"mandatory", s.mandatory},
        {"mandatory_label", mandatory_label(ctx, s.mandatory)},
        {"version", version_text(ctx, s)},
        {"status", ctx.t(s.retired ? "network.tools.status_retired" : "network.tools.status_active")},
        {"retired", s.retired},
        {"files", files},
        {"adoptions", adoptions},
        {"with_names", !analyst(ctx)},
        // No row: an area without providers, or a reader whose organisation is not one.
        {"no_adoptions", ctx.t(r->may_edit || analyst(ctx) ? "network.tools.no_providers" : "network.tools.not_a_provider")},
        {"back_href", library_path}};
    if (s.mandatory) model["mandatory_notice"] = ctx.t("network.tools.mandatory_notice", {s.version_label});
    if (s.own) {
        const auto own = std::find_if(r->adoptions.begin(), r->adoptions.end(), [&](const store::ToolAdoptionRow& a) {
            return a.organisation_id == ctx.acting->organisation_id;
        });
        model["own"] = standing_view(ctx, *s.own, own != r->adoptions.end() ? own->adopted_label : std::string());
    }
    if (!t.description_fr.empty()) model["description_fr"] = t.description_fr;
    if (!t.description_en.empty()) model["description_en"] = t.description_en;
    if (r->may_edit) {
        model["edit_href"] = tool_href(id) + "/edit";
        model["file_form"] = file_form(ctx, id, forms);
        FormBuilder f(ctx, tool_href(id) + "/retire", s.retired ? "network.tools.restore_submit" : "network.tools.retire_submit");
        f.id_prefix("retire-")
            .field({.name = "version", .type = "hidden"}, std::to_string(r->version))
            .field({.name = "retired", .type = "hidden"}, s.retired ? "0" : "1");
        if (forms.event == "retire") f.errors(forms.errors);
        model["retire"] = {{"heading", ctx.t(s.retired ? "network.tools.restore_heading" : "network.tools.retire_heading")},
                           {"help", ctx.t(s.retired ? "network.tools.restore_help" : "network.tools.retire_help")},
                           {"form", f.build()}};
    }
    if (r->may_adopt) {
        FormBuilder f(ctx, tool_href(id) + "/adopt", "network.tools.adopt_submit");
        f.id_prefix("adopt-").field({.name = "version_label", .type = "hidden"}, s.version_label);
        if (forms.event == "adopt") f.errors(forms.errors);
        model["adopt"] = {{"help", ctx.t("network.tools.adopt_help", {s.version_label})}, {"form", f.build()}};
    }
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    return ctx.app.page(ctx, "network.tools.title", "tool", model, status);
}

http::Response show_tool(Ctx& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return tool_page(ctx, *id, {}, 200);
}

http::Response post_retire(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    const std::string retired = trim(ctx.form("retired"));
    ToolForms forms;
    forms.event = "retire";
    // Only the keeper of the tool hears about its form.
    if (!tools(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
    if (retired != "1" && retired != "0") {
        forms.errors.push_back({"", "field.choose_from_list", {}});
        return tool_page(ctx, *id, forms, bad_input);
    }
    auto done = tools(ctx).set_retired(*id, form_version(ctx), retired == "1");
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return tool_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, tool_href(*id), retired == "1" ? "network.tools.retired_done" : "network.tools.restored_done");
}

http::Response post_file(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    ToolForms forms;
    forms.event = "file";
    forms.lang = trim(ctx.form("lang"));
    // One file: none chosen (or sent as an empty part) is "missing"; more than one is refused.
    const http::FormPart* file = nullptr;
    for (const auto& f : ctx.files)
        if (f.name == "file" && !(f.filename.empty() && f.data.empty())) {
            if (file) {
                // Only the keeper of the tool hears about its form.
                if (!tools(ctx).may_manage()) return ctx.app.refused(ctx, Error::forbidden());
                forms.errors.push_back({"file", "agreement.document_one", {}});
                return tool_page(ctx, *id, forms, bad_input);
            }
            file = &f;
        }
    auto done = tools(ctx).attach_file(*id, forms.lang, file ? file->filename : std::string(),
                                       file ? std::string_view(file->data) : std::string_view());
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return tool_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, tool_href(*id) + "#files-heading", "network.tools.file_added");
}

// ASCII for the filename parameter (anything else, and quotes and backslashes, as "_"), the
// name itself in filename* (RFC 6266, RFC 8187).
std::string attachment_header(const std::string& filename) {
    std::string ascii;
    for (char32_t c : code_points(filename))
        ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode(filename);
}

http::Response download_file(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    auto file = tools(ctx).file(*id, ctx.req.params["lang"]);
    if (!file) return ctx.app.refused(ctx, file.error());
    http::Response res;
    res.content_type = file->content_type;
    // Always a download, never shown in the browser; and if it were, nothing in it would run.
    res.set_header("Content-Disposition", attachment_header(file->filename));
    res.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
    res.body = std::move(file->data);
    return res;
}

http::Response post_adopt(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = path_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    ToolForms forms;
    forms.event = "adopt";
    auto done = tools(ctx).adopt(*id, trim(ctx.form("version_label")));
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return tool_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, tool_href(*id), "network.tools.adopted");
}

// ---------------------------------------------------------------- the adoption matrix

http::Response adoption_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto matrix = tools(ctx).adoption();
    if (!matrix) return ctx.app.refused(ctx, matrix.error());
    json areas = json::array();
    for (const auto& a : *matrix) {
        const std::string id = std::to_string(a.id);
        json tool_rows = json::array();
        json columns = json::array();
        for (const auto& c : a.tools) {
            const std::string title = in_lang(ctx, c.tool.title_fr, c.tool.title_en);
            tool_rows.push_back({{"href", tool_href(c.tool.id)},
                                 {"title", title},
                                 {"version", version_text(ctx, c.tool)},
                                 {"current", c.current},
                                 {"older", c.older},
                                 {"none", c.none}});
            columns.push_back({{"href", tool_href(c.tool.id)},
                               {"title", title},
                               {"version", ctx.t("network.tools.version_short", {c.tool.version_label})}});
        }
        json providers = json::array();
        for (const auto& p : a.providers) {
            json cells = json::array();
            for (const auto& c : p.cells) cells.push_back(standing_view(ctx, c.standing, c.adopted_label));
            providers.push_back({{"name", in_lang(ctx, p.name_fr, p.name_en)},
                                 {"cells", cells},
                                 {"current", ctx.t("network.tools.adoption.of_total",
                                                   {std::to_string(p.current), std::to_string(a.tools.size())})}});
        }
        areas.push_back({{"heading_id", "area-" + id + "-heading"},
                         {"matrix_id", "area-" + id + "-matrix"},
                         {"name", in_lang(ctx, a.name_fr, a.name_en)},
                         {"tools", tool_rows},
                         {"columns", columns},
                         {"providers", providers},
                         {"totals", ctx.t("network.tools.adoption.totals",
                                          {std::to_string(a.current), std::to_string(a.older), std::to_string(a.none)})}});
    }
    json model = {{"areas", areas}, {"analyst", analyst(ctx)}, {"back_href", library_path}};
    return ctx.app.page(ctx, "network.tools.adoption.title", "tool_adoption", model);
}

}  // namespace

void register_tool_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // Literal paths before the {id} they would otherwise match.
    app.route("GET", "/network/tools", {"network/tools", S, R, library_page});
    app.route("GET", "/network/tools/adoption", {"network/tools_adoption", S, R, adoption_page});
    app.route("GET", "/network/tools/new", {"network/tools_new", S, R, show_new});
    app.route("POST", "/network/tools", {"network/tools_create", S, W, post_new});
    app.route("GET", "/network/tools/{id}", {"network/tools_show", S, R, show_tool});
    app.route("GET", "/network/tools/{id}/edit", {"network/tools_edit", S, R, show_edit});
    app.route("POST", "/network/tools/{id}/edit", {"network/tools_update", S, W, post_edit});
    app.route("POST", "/network/tools/{id}/files", {"network/tools_file_add", S, W, post_file});
    app.route("GET", "/network/tools/{id}/files/{lang}", {"network/tools_file", S, R, download_file});
    app.route("POST", "/network/tools/{id}/adopt", {"network/tools_adopt", S, W, post_adopt});
    app.route("POST", "/network/tools/{id}/retire", {"network/tools_retire", S, W, post_retire});
    // The navigation's link to the library, for those who must use its tools but do not read the
    // network's page (those find it there).
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (ctx.acting && !reads_network(ctx) &&
            (ctx.acting->role == d::Role::coordinator || ctx.acting->role == d::Role::participant_staff))
            layout["nav_tools"] = true;
    });
}

}  // namespace arrimage::web
