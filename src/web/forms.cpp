#include "web/forms.hpp"

#include <algorithm>

namespace arrimage::web {

using nlohmann::json;

FormBuilder& FormBuilder::field(Field f, std::string value) {
    entries_.push_back({std::move(f), {std::move(value)}});
    return *this;
}

FormBuilder& FormBuilder::multi(Field f, std::vector<std::string> values) {
    entries_.push_back({std::move(f), std::move(values)});
    return *this;
}

FormBuilder& FormBuilder::errors(const std::vector<FieldError>& e) {
    errors_.insert(errors_.end(), e.begin(), e.end());
    return *this;
}

FormBuilder& FormBuilder::id_prefix(std::string prefix) {
    id_prefix_ = std::move(prefix);
    return *this;
}

FormBuilder& FormBuilder::cancel(std::string href) {
    cancel_href_ = std::move(href);
    return *this;
}

json FormBuilder::build() const {
    json fields = json::array();
    json summary = json::array();
    for (const auto& e : errors_) {
        // Errors about fields that are not on this form go to the summary without a link.
        const bool on_form =
            std::any_of(entries_.begin(), entries_.end(), [&](const Entry& en) { return en.field.name == e.field; });
        json item = {{"message", ctx_.t(e.message_key, e.args)}};
        if (on_form) item["href"] = "#" + id_prefix_ + "field-" + e.field;
        summary.push_back(item);
    }
    for (const auto& [f, values] : entries_) {
        const std::string value = values.empty() ? std::string() : values.front();
        json j = {{"name", f.name},
                  {"id", id_prefix_ + "field-" + f.name},
                  {"label", f.label.empty() ? ctx_.t(f.label_key) : f.label},
                  {"value", value},
                  {"required", f.required},
                  {"is_" + f.type, true}};
        if (f.type == "text" || f.type == "email" || f.type == "password" || f.type == "tel" || f.type == "url" ||
            f.type == "date")
            j["is_input"] = true, j["input_type"] = f.type;
        if (f.type == "file") {  // the form is then sent as multipart/form-data
            j["is_input"] = true, j["input_type"] = "file", j["is_file_input"] = true;
            if (f.accept.empty())
                j["multiple"] = true, j["accept"] = ".csv,text/csv";  // one or more CSV files
            else
                j["accept"] = f.accept;
            j.erase("value");
        }
        if (!f.autocomplete.empty()) j["autocomplete"] = f.autocomplete;
        if (!f.inputmode.empty()) j["inputmode"] = f.inputmode;
        if (!f.hint_key.empty()) j["hint"] = ctx_.t(f.hint_key), j["hint_id"] = id_prefix_ + "hint-" + f.name;
        if (f.type == "checkbox") j["checked"] = value == "1" || value == "on";
        for (const auto& e : errors_) {
            if (e.field == f.name) {
                j["error"] = ctx_.t(e.message_key, e.args);
                j["error_id"] = id_prefix_ + "error-" + f.name;
                break;
            }
        }
        std::string describedby;
        if (j.contains("hint_id")) describedby = j["hint_id"].get<std::string>();
        if (j.contains("error_id")) {
            if (!describedby.empty()) describedby += ' ';
            describedby += j["error_id"].get_ref<const std::string&>();
        }
        if (!describedby.empty()) j["describedby"] = describedby;
        json options = json::array();
        for (std::size_t i = 0; i < f.options.size(); ++i) {
            const auto& o = f.options[i];
            const bool selected = std::find(values.begin(), values.end(), o.value) != values.end();
            options.push_back({{"value", o.value},
                               {"label", o.label},
                               {"selected", selected},
                               {"id", id_prefix_ + "field-" + f.name + "-" + std::to_string(i)}});
        }
        if (!options.empty()) j["options"] = options;
        // A select whose own choices include the empty one (e.g. "the whole plan", "no breakdown")
        // does not get "Choose…" as well: two choices would send the same nothing.
        if (std::any_of(f.options.begin(), f.options.end(), [](const Option& o) { return o.value.empty(); }))
            j["own_empty_choice"] = true;
        fields.push_back(j);
    }
    json form = {{"action", action_}, {"submit", ctx_.t(submit_key_)}, {"fields", fields}, {"csrf", ctx_.csrf}};
    if (query_) form["query"] = true;
    if (std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.field.type == "file"; }))
        form["multipart"] = true;
    if (!summary.empty()) form["error_summary"] = summary;
    if (!cancel_href_.empty()) form["cancel_href"] = cancel_href_;
    return form;
}

std::vector<Option> yes_no_options(const Ctx& ctx) {
    return {{"1", ctx.t("common.yes")}, {"0", ctx.t("common.no")}};
}

std::vector<Option> lang_options(const Ctx& ctx) {
    return {{"fr", ctx.app.catalogue().t(Lang::fr, "lang.self")}, {"en", ctx.app.catalogue().t(Lang::en, "lang.self")}};
}

std::vector<Option> role_options(const Ctx& ctx, bool include_system_admin) {
    std::vector<Option> out;
    for (auto r : domain::all_roles()) {
        if (r == domain::Role::system_admin && !include_system_admin) continue;
        out.push_back({std::string(domain::code(r)), ctx.t("role." + std::string(domain::code(r)))});
    }
    return out;
}

std::vector<Option> sector_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto s : domain::all_sectors())
        out.push_back({std::string(domain::code(s)), ctx.t("sector." + std::string(domain::code(s)))});
    return out;
}

std::vector<Option> csp_role_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto s : domain::all_csp_roles())
        out.push_back({std::string(domain::code(s)), ctx.t("csp_role." + std::string(domain::code(s)))});
    return out;
}

int form_version(Ctx& ctx) {
    auto v = domain::parse_id(ctx.form("version"));
    return v && *v < 1000000000 ? static_cast<int>(*v) : 0;
}

}  // namespace arrimage::web
