#pragma once
// Builds the view model of a form for the generic "form" template: labelled fields, hints,
// field-level errors with an error summary linking to each field, options for selects,
// radios and checkboxes.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "web/app.hpp"

namespace arrimage::web {

struct Option {
    std::string value;
    std::string label;
};

struct Field {
    std::string name;
    std::string label_key;
    std::string type = "text";  // text, email, password, tel, url, date, file, select, checkbox, checkboxes, radios, hidden
    bool required = false;
    std::string hint_key;
    std::vector<Option> options;
    std::string autocomplete;
    std::string inputmode;
    std::string label;  // literal text instead of label_key's (words an area wrote in both languages)
    // A file field's accepted types ("accept"): empty, one or more CSV files; otherwise one file.
    std::string accept;
};

class FormBuilder {
  public:
    FormBuilder(Ctx& ctx, std::string action, std::string submit_key)
        : ctx_(ctx), action_(std::move(action)), submit_key_(std::move(submit_key)) {}

    FormBuilder& field(Field f, std::string value = {});
    FormBuilder& multi(Field f, std::vector<std::string> values);
    FormBuilder& errors(const std::vector<FieldError>& e);
    FormBuilder& cancel(std::string href);
    // Prefixes the form's element ids ("field-x", "hint-x", "error-x"): several forms on one page.
    FormBuilder& id_prefix(std::string prefix);
    // A form that only asks (filters): sent with GET, without the CSRF token.
    FormBuilder& query() {
        query_ = true;
        return *this;
    }
    nlohmann::json build() const;

  private:
    struct Entry {
        Field field;
        std::vector<std::string> values;
    };
    Ctx& ctx_;
    std::string action_, submit_key_, cancel_href_;
    std::string id_prefix_;
    bool query_ = false;
    std::vector<Entry> entries_;
    std::vector<FieldError> errors_;
};

// The same form posted back: the submitted value of each field.
std::vector<Option> yes_no_options(const Ctx& ctx);
std::vector<Option> lang_options(const Ctx& ctx);
std::vector<Option> role_options(const Ctx& ctx, bool include_system_admin);
std::vector<Option> sector_options(const Ctx& ctx);
std::vector<Option> csp_role_options(const Ctx& ctx);
// The options of a list of domain values: each value's code, labelled by the key prefix + code.
template <typename E>
std::vector<Option> options_of(const Ctx& ctx, const std::vector<E>& values, const std::string& prefix) {
    std::vector<Option> out;
    for (auto v : values) out.push_back({std::string(code(v)), ctx.t(prefix + std::string(code(v)))});
    return out;
}
// The record version a form was shown with (field "version"; 0 when missing or garbled: never a
// current version).
int form_version(Ctx& ctx);

// A repository's refusal of a form posted from a page, answered on that page: the fields'
// errors in `errors` and the page again (422), a change refused whole with its message in
// `conflict_key` and the page again (409), anything else as a refusal (WebApp::refused).
// `page(status)` renders the page with the forms those two belong to.
template <typename Page>
http::Response refused_on_page(Ctx& ctx, const Error& e, std::vector<FieldError>& errors, std::string& conflict_key,
                               Page&& page) {
    if (e.code == Errc::Invalid) {
        errors = e.fields;
        return page(422);
    }
    if (e.code == Errc::Conflict) {
        conflict_key = e.message_key;
        return page(409);
    }
    return ctx.app.refused(ctx, e);
}

}  // namespace arrimage::web
