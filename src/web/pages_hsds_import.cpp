// Import of an HSDS 3.0 CSV set from the browser, for the coordinating agency: the same
// validated, all-or-nothing import as `arrimage hsds-import` (interop/hsds_tables.hpp), with
// the validation report shown row by row and field by field in the user's language. "Check
// only" runs the whole import and rolls it back. See docs/HSDS.md.
#include <algorithm>
#include <set>

#include "interop/hsds_tables.hpp"
#include "web/directory_pages.hpp"

namespace arrimage::web {
namespace {

using nlohmann::json;
using store::TxMode;
using namespace directory;
namespace d = arrimage::domain;

constexpr const char* import_path = "/directory/hsds/import";

std::vector<store::SdaRow> importable_sdas(Ctx& ctx) {
    std::vector<store::SdaRow> out;
    for (auto& s : ctx.identity().list_sdas(false))
        if (d::can_manage_pathways(ctx.principal, s.id)) out.push_back(std::move(s));
    return out;
}

struct ImportInput {
    std::string sda_id, sector, check_only;
};

json import_form(Ctx& ctx, const ImportInput& v, const std::vector<FieldError>& e) {
    std::vector<Option> sdas;
    for (const auto& s : importable_sdas(ctx))
        sdas.push_back({std::to_string(s.id), s.code + " — " + pick(ctx, s.name_fr, s.name_en)});
    FormBuilder f(ctx, import_path, "hsds.import.submit");
    f.field({.name = "sda_id",
             .label_key = "org.sda",
             .type = "select",
             .required = true,
             .hint_key = "hsds.import.sda_hint",
             .options = sdas},
            v.sda_id)
        .field({.name = "sector",
                .label_key = "org.sector",
                .type = "select",
                .required = true,
                .hint_key = "hsds.import.sector_hint",
                .options = sector_options(ctx)},
               v.sector.empty() ? std::string(d::code(d::Sector::social_services)) : v.sector)
        .field({.name = "files",
                .label_key = "hsds.import.files",
                .type = "file",
                .required = true,
                .hint_key = "hsds.import.files_hint"})
        .field({.name = "files_fr", .label_key = "hsds.import.files_fr", .type = "file", .hint_key = "hsds.import.files_fr_hint"})
        .field({.name = "check_only",
                .label_key = "hsds.import.check_only",
                .type = "checkbox",
                .hint_key = "hsds.import.check_only_hint"},
               v.check_only)
        .errors(e)
        .cancel("/directory/manage");
    return f.build();
}

// The problem of one report line in the user's language, with its arguments ("at most 200
// characters").
std::string problem_text(const Ctx& ctx, const interop::ImportIssue& i) {
    if (ctx.app.catalogue().has(ctx.lang, i.problem)) return ctx.t(i.problem, i.args);
    const auto key = "hsds.problem." + i.problem;
    if (ctx.app.catalogue().has(ctx.lang, key)) return ctx.t(key, i.args);
    return i.problem;
}

http::Response page(Ctx& ctx, const ImportInput& v, const std::vector<FieldError>& e, int status,
                    const interop::ImportReport* report = nullptr, std::string done = {}) {
    json extra = {{"intro", ctx.t("hsds.import.intro")}};
    if (!done.empty()) extra["done"] = std::move(done);
    // A refused set: its problems. A valid one: the rows left out, if any.
    auto table = [&](const char* id, const char* heading_key, const std::vector<interop::ImportIssue>& list) {
        json rows = json::array();
        for (const auto& i : list)
            rows.push_back({{"file", i.file},
                            {"line", i.line ? std::to_string(i.line) : ""},
                            {"field", i.field},
                            {"problem", problem_text(ctx, i)},
                            {"value", i.value}});
        extra["report"] = {{"id", id}, {"heading", ctx.t(heading_key, {std::to_string(list.size())})}, {"rows", rows}};
    };
    if (report && !report->ok())
        table("import-report", "hsds.import.report_heading", report->issues);
    else if (report && !report->notes.empty())
        table("import-notes", "hsds.import.notes_heading", report->notes);
    extra["form"] = import_form(ctx, v, e);
    extra["heading"] = ctx.t("hsds.import.title");
    return ctx.app.page(ctx, "hsds.import.title", "hsds_import", extra, status);
}

http::Response show(Ctx& ctx) {
    if (importable_sdas(ctx).empty()) return error(ctx, Error::forbidden());
    std::string done;
    // After an import: ?done=ORGS-LOCATIONS-SERVICES (numbers only, from our own redirect).
    const auto q = ctx.req.query_param("done");
    int o = 0, l = 0, s = 0;
    char tail = 0;
    if (!q.empty() && std::sscanf(q.c_str(), "%d-%d-%d%c", &o, &l, &s, &tail) == 3 && o >= 0 && l >= 0 && s >= 0)
        done = ctx.t("hsds.import.done", {std::to_string(o), std::to_string(l), std::to_string(s)});
    return page(ctx, {}, {}, 200, nullptr, done);
}

http::Response submit(Ctx& ctx) {
    if (importable_sdas(ctx).empty()) return error(ctx, Error::forbidden());
    ImportInput v{ctx.form("sda_id"), ctx.form("sector"), ctx.form("check_only")};
    std::vector<FieldError> e;
    interop::ImportOptions options;
    auto sda = d::parse_id(v.sda_id);
    if (!sda || !d::can_manage_pathways(ctx.principal, *sda) || !ctx.identity().find_sda(*sda))
        e.push_back({"sda_id", "field.choose_one", {}});
    else
        options.sda_id = *sda;
    if (auto sector = d::parse_sector(v.sector))
        options.sector = *sector;
    else
        e.push_back({"sector", "field.choose_one", {}});
    options.actor = ctx.user->id;

    // Files: known HSDS table names (or an older name Arrimage exported) only, each table once
    // per language.
    interop::CsvSet primary, french;
    for (const auto& f : ctx.files) {
        if (f.filename.empty() && f.data.empty()) continue;  // the field was left empty
        const bool fr = f.name == "files_fr";
        if (f.name != "files" && !fr) continue;
        // Browsers send the base name; strip any folder some clients add.
        const auto slash = f.filename.find_last_of("/\\");
        const auto base = slash == std::string::npos ? f.filename : f.filename.substr(slash + 1);
        if (base == "datapackage.json") continue;  // describes the set; the tables carry the data
        auto& set = fr ? french : primary;
        if (!interop::hsds_table_name(base)) {
            e.push_back({f.name, "hsds.import.unknown_file", {base}});
        } else if (set.entry(base)) {
            e.push_back({f.name, "hsds.import.duplicate_file", {base}});
        } else if (f.data.size() > options.max_file_bytes) {
            e.push_back({f.name, "hsds.problem.too_large", {}});
        } else {
            set.files.emplace_back(base, f.data);
        }
    }
    if (primary.files.empty() && std::none_of(e.begin(), e.end(), [](const auto& x) { return x.field == "files"; }))
        e.push_back({"files", "hsds.import.no_files", {}});
    if (!e.empty()) return page(ctx, v, e, 422);

    const auto report = interop::hsds_import(ctx.tx, ctx.app.clock(), primary, french, options);
    if (!report.ok())
        return page(ctx, v, {{"files", "hsds.import.invalid", {std::to_string(report.issues.size())}}}, 422, &report);
    const std::vector<std::string> counts = {std::to_string(report.organisations), std::to_string(report.locations),
                                             std::to_string(report.services)};
    if (!v.check_only.empty()) {
        ctx.rollback_anyway = true;  // a check: everything was validated and written, then undone
        return page(ctx, v, {}, 200, &report, ctx.t("hsds.import.valid", counts));
    }
    // Imported, with rows left out: say which on the page rather than after a redirect.
    if (!report.notes.empty()) return page(ctx, {}, {}, 200, &report, ctx.t("hsds.import.done", counts));
    return ctx.app.see_other(ctx, std::string(import_path) + "?done=" + std::to_string(report.organisations) + "-" +
                                      std::to_string(report.locations) + "-" + std::to_string(report.services));
}

}  // namespace

void register_hsds_import_pages(WebApp& app) {
    app.route("GET", import_path, {"directory/hsds/import", Access::signed_in, TxMode::read, show});
    app.route("POST", import_path, {"directory/hsds/import/submit", Access::signed_in, TxMode::write, submit});
}

}  // namespace arrimage::web
