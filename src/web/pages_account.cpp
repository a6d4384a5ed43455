// The signed-in user's own account: profile, language, password, second factor.
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "domain/password.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;

namespace {

json profile_form(Ctx& ctx, const std::string& lang_value, std::vector<FieldError> errors) {
    FormBuilder f(ctx, "/account/profile", "common.save");
    f.field({.name = "display_name", .label_key = "user.display_name", .required = true, .autocomplete = "name"},
            errors.empty() ? ctx.user->display_name : ctx.form("display_name"))
        .field({.name = "preferred_lang",
                .label_key = "user.preferred_lang",
                .type = "radios",
                .required = true,
                .options = lang_options(ctx)},
               lang_value)
        .errors(errors);
    return f.build();
}

json password_form(Ctx& ctx, std::vector<FieldError> errors) {
    FormBuilder f(ctx, "/account/password", "account.change_password");
    f.field({.name = "current_password",
             .label_key = "account.current_password",
             .type = "password",
             .required = true,
             .autocomplete = "current-password"})
        .field({.name = "password",
                .label_key = "reset.password",
                .type = "password",
                .required = true,
                .hint_key = "password.rules",
                .autocomplete = "new-password"})
        .field({.name = "password_confirm",
                .label_key = "reset.password_confirm",
                .type = "password",
                .required = true,
                .autocomplete = "new-password"})
        .errors(errors);
    return f.build();
}

// Turning the second factor off asks for what turning it on proved: the password and a code.
json mfa_disable_form(Ctx& ctx, std::vector<FieldError> errors) {
    FormBuilder f(ctx, "/account/mfa/disable", "mfa.disable");
    f.field({.name = "current_password",
             .label_key = "account.current_password",
             .type = "password",
             .required = true,
             .autocomplete = "current-password"})
        .field({.name = "code",
                .label_key = "mfa.code",
                .required = true,
                .hint_key = "mfa.code_hint",
                .autocomplete = "one-time-code",
                .inputmode = "numeric"})
        .errors(errors);
    return f.build();
}

http::Response account_page(Ctx& ctx, json profile, json password, int status, std::vector<FieldError> disable_errors = {}) {
    const bool mfa_required = domain::requires_second_factor(ctx.principal, ctx.app.config().mfa_roles);
    const bool can_disable = ctx.user->totp_enabled && !mfa_required;
    json model = {{"email", ctx.user->email},     {"profile_form", profile},
                  {"password_form", password},    {"totp_enabled", ctx.user->totp_enabled},
                  {"mfa_required", mfa_required}, {"can_disable_mfa", can_disable}};
    if (can_disable) model["mfa_disable_form"] = mfa_disable_form(ctx, std::move(disable_errors));
    return ctx.app.page(ctx, "account.title", "account", model, status);
}

http::Response show_account(Ctx& ctx) {
    return account_page(ctx, profile_form(ctx, ctx.user->preferred_lang, {}), password_form(ctx, {}), 200);
}

http::Response post_profile(Ctx& ctx) {
    domain::UserForm in{ctx.user->email, ctx.form("display_name"), ctx.form("preferred_lang")};
    domain::User u;
    auto errors = domain::validate(in, u);
    if (!errors.empty())
        return account_page(ctx, profile_form(ctx, ctx.form("preferred_lang"), errors), password_form(ctx, {}), 422);
    auto r = ctx.identity().update_user(ctx.user->id, u, ctx.user->id);
    if (!r) return ctx.app.error_page(ctx, r.error());
    http::CookieOptions o;
    o.secure = ctx.app.config().secure_cookies();
    o.max_age = 365LL * 24 * 3600;
    ctx.cookies.push_back(http::set_cookie("arrimage_lang", std::string(code(u.preferred_lang)), o));
    return ctx.app.see_other(ctx, "/account", "common.saved");
}

http::Response post_password(Ctx& ctx) {
    auto auth = ctx.auth();
    auto creds = auth.credentials_by_id(ctx.user->id);
    std::vector<FieldError> errors;
    if (!creds || !creds->password_hash || !verify_password(ctx.form("current_password"), *creds->password_hash))
        errors.push_back({"current_password", "account.current_password_wrong", {}});
    auto more = domain::check_new_password(ctx.form("password"), ctx.form("password_confirm"), ctx.user->email);
    errors.insert(errors.end(), more.begin(), more.end());
    if (!errors.empty())
        return account_page(ctx, profile_form(ctx, ctx.user->preferred_lang, {}), password_form(ctx, errors), 422);
    auth.set_password_hash(ctx.user->id, hash_password(ctx.form("password"), ctx.app.config().password_cost));
    // Every other session ends; this one is replaced by a fresh one.
    auth.revoke_user_sessions(ctx.user->id);
    ctx.app.start_session(ctx, ctx.user->id, false);
    return ctx.app.see_other(ctx, "/account", "account.password_changed");
}

// ---- TOTP enrolment. Reachable while the second factor is still pending, so a user whose
// role requires it can enrol at first sign-in.

http::Response mfa_setup_page(Ctx& ctx, const std::string& secret, std::vector<FieldError> errors, int status) {
    FormBuilder f(ctx, "/account/mfa", "mfa.enable");
    f.field({.name = "code",
             .label_key = "mfa.code",
             .required = true,
             .hint_key = "mfa.code_hint",
             .autocomplete = "one-time-code",
             .inputmode = "numeric"})
        .errors(errors);
    std::string grouped;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i && i % 4 == 0) grouped += ' ';
        grouped += secret[i];
    }
    json model = {{"form", f.build()}, {"secret", grouped}, {"uri", otpauth_uri("Arrimage", ctx.user->email, secret)}};
    return ctx.app.page(ctx, "mfa.setup_title", "mfa_setup", model, status);
}

std::optional<std::string> pending_secret(Ctx& ctx) {
    auto creds = ctx.auth().credentials_by_id(ctx.user->id);
    if (!creds || creds->totp_enabled) return std::nullopt;
    return creds->totp_secret;
}

http::Response show_mfa_setup(Ctx& ctx) {
    if (!ctx.user) return ctx.app.see_other(ctx, "/login");
    if (ctx.user->totp_enabled) return ctx.app.see_other(ctx, ctx.session->mfa_pending ? "/login/mfa" : "/account");
    auto secret = pending_secret(ctx);
    if (!secret) {
        std::string raw(20, '\0');
        ctx.app.random().fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
        secret = totp_secret_base32(raw);
        ctx.auth().set_totp_secret(ctx.user->id, secret, false);
    }
    return mfa_setup_page(ctx, *secret, {}, 200);
}

http::Response post_mfa_setup(Ctx& ctx) {
    if (!ctx.user) return ctx.app.see_other(ctx, "/login");
    auto secret = pending_secret(ctx);
    if (!secret) return ctx.app.see_other(ctx, "/account/mfa");
    auto auth = ctx.auth();
    const auto step = totp_verify(*secret, ctx.form("code"), ctx.app.clock().now());
    if (!step) return mfa_setup_page(ctx, *secret, {{"code", "mfa.invalid", {}}}, 422);
    auth.set_totp_secret(ctx.user->id, secret, true);
    auth.advance_totp_step(ctx.user->id, *step);
    ctx.app.start_session(ctx, ctx.user->id, false);
    return ctx.app.see_other(ctx, "/account", "mfa.enabled");
}

http::Response post_mfa_disable(Ctx& ctx) {
    if (domain::requires_second_factor(ctx.principal, ctx.app.config().mfa_roles))
        return ctx.app.error_page(ctx, Error{Errc::Forbidden, "mfa.cannot_disable", {}, {}});
    auto auth = ctx.auth();
    auto creds = auth.credentials_by_id(ctx.user->id);
    if (!creds || !creds->totp_enabled || !creds->totp_secret) return ctx.app.see_other(ctx, "/account");
    // Wrong answers count as second-factor failures: the same throttle as /login/mfa.
    const auto& cfg = ctx.app.config();
    if (auth.count_failures("second_factor", creds->email, ctx.app.clock().now() - cfg.throttle_window) >=
        cfg.max_failures_per_account)
        return account_page(ctx, profile_form(ctx, ctx.user->preferred_lang, {}), password_form(ctx, {}), 429,
                            {{"", "login.throttled_account", {std::to_string(cfg.throttle_window.count())}}});
    std::vector<FieldError> errors;
    if (!creds->password_hash || !verify_password(ctx.form("current_password"), *creds->password_hash))
        errors.push_back({"current_password", "account.current_password_wrong", {}});
    const auto step = totp_verify(*creds->totp_secret, ctx.form("code"), ctx.app.clock().now());
    if (!step || !errors.empty() || !auth.advance_totp_step(creds->user_id, *step)) {
        if (!step || errors.empty()) errors.push_back({"code", "mfa.invalid", {}});
        auth.record_failure("second_factor", creds->email);
        ctx.commit_anyway = true;
        return account_page(ctx, profile_form(ctx, ctx.user->preferred_lang, {}), password_form(ctx, {}), 422, errors);
    }
    auth.set_totp_secret(ctx.user->id, std::nullopt, false);
    return ctx.app.see_other(ctx, "/account", "mfa.disabled");
}

}  // namespace

void register_account_pages(WebApp& app) {
    app.route("GET", "/account", {"account", Access::signed_in, TxMode::read, show_account});
    app.route("POST", "/account/profile", {"account/profile", Access::signed_in, TxMode::write, post_profile});
    app.route("POST", "/account/password", {"account/password", Access::signed_in, TxMode::write, post_password});
    app.route("GET", "/account/mfa", {"account/mfa", Access::mfa_pending, TxMode::write, show_mfa_setup});
    app.route("POST", "/account/mfa", {"account/mfa/submit", Access::mfa_pending, TxMode::write, post_mfa_setup});
    app.route("POST", "/account/mfa/disable", {"account/mfa/disable", Access::signed_in, TxMode::write, post_mfa_disable});
}

}  // namespace arrimage::web
