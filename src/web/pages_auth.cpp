// Sign-in, second factor, sign-out, language switch, password reset and invitations.
#include <algorithm>
#include <chrono>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "domain/password.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;

namespace {

// The `next` parameter (query on GET, form field otherwise) when it is a path on this site
// (core/text.hpp is_local_redirect), else "/".
std::string local_next(const Ctx& ctx) {
    std::string next = ctx.req.method == "GET" ? ctx.req.query_param("next") : ctx.form("next");
    return is_local_redirect(next) ? next : "/";
}

// Where to go after signing in: never back to a sign-in page.
std::string next_target(const Ctx& ctx) {
    std::string next = local_next(ctx);
    return next.rfind("/login", 0) == 0 ? "/" : next;
}

http::Response login_form(Ctx& ctx, const std::string& email, std::vector<FieldError> errors, int status,
                          std::string message_key = {}) {
    FormBuilder f(ctx, "/login", "login.submit");
    f.field({.name = "email", .label_key = "login.email_or_name", .type = "text", .required = true, .autocomplete = "username"},
            email)
        .field({.name = "password",
                .label_key = "login.password",
                .type = "password",
                .required = true,
                .autocomplete = "current-password"})
        .field({.name = "next", .type = "hidden"}, next_target(ctx))
        .errors(errors);
    json model = {{"form", f.build()}, {"heading", ctx.t("login.heading")}, {"intro", ctx.t("login.intro")}};
    if (!message_key.empty()) model["alert"] = ctx.t(message_key);
    model["links"] = json::array({{{"href", "/password/forgot"}, {"label", ctx.t("login.forgot")}}});
    return ctx.app.page(ctx, "login.title", "form_page", model, status);
}

// Verifies against a fixed hash when the account does not exist, so a response's timing
// does not tell whether an email is registered.
bool verify_or_burn(const WebApp& app, const std::optional<std::string>& hash, const std::string& password) {
    static const std::string dummy = hash_password("not-a-real-password", app.config().password_cost);
    if (!hash) {
        (void)verify_password(password, dummy);
        return false;
    }
    return verify_password(password, *hash);
}

http::Response post_login(Ctx& ctx) {
    auto& app = ctx.app;
    const auto& cfg = app.config();
    const std::string email = ascii_lower(trim(ctx.form("email")));
    const std::string password = ctx.form("password");
    std::vector<FieldError> errors;
    if (email.empty()) errors.push_back({"email", "field.required", {}});
    if (password.empty()) errors.push_back({"password", "field.required", {}});
    if (!errors.empty()) return login_form(ctx, email, errors, 422);

    auto auth = ctx.auth();
    const auto now = app.clock().now();
    const auto since = now - cfg.throttle_window;
    const std::string minutes = std::to_string(cfg.throttle_window.count());
    const std::string pair = email + " " + ctx.req.remote_addr;
    if (auth.count_failures("address", ctx.req.remote_addr, since) >= cfg.max_failures_per_address)
        return login_form(ctx, email, {{"", "login.throttled_address", {minutes}}}, 429);
    // Guessing from one address stops that address, for that account; not the account's owner.
    if (auth.count_failures("pair", pair, since) >= cfg.max_failures_per_pair)
        return login_form(ctx, email, {{"", "login.throttled_account", {minutes}}}, 429);

    auto creds = auth.credentials_by_email(email);
    // Failures from many addresses slow the account down; an account with a second factor is
    // not slowed (the code is still needed), and a reset link clears the count.
    const auto delay = domain::sign_in_delay(auth.count_failures("account", email, since), cfg.max_failures_per_account,
                                             std::chrono::duration_cast<std::chrono::seconds>(cfg.throttle_window));
    if (delay.count() > 0 && !(creds && creds->totp_enabled)) {
        const auto last = auth.last_failure("account", email);
        if (last && now < *last + delay) {
            const auto wait = std::chrono::duration_cast<std::chrono::seconds>(*last + delay - now).count() + 1;
            return login_form(ctx, email, {{"", "login.slowed", {std::to_string(wait)}}}, 429);
        }
    }
    const bool valid = verify_or_burn(app, creds ? creds->password_hash : std::nullopt, password) && creds->active;
    if (!valid) {
        auth.record_failure("address", ctx.req.remote_addr);
        auth.record_failure("account", email);
        auth.record_failure("pair", pair);
        ctx.commit_anyway = true;
        return login_form(ctx, email, {{"password", "login.invalid", {}}}, 401);
    }
    auth.clear_failures("account", email);
    auth.clear_failures("pair", pair);
    return sign_in(ctx, *creds, next_target(ctx));
}

http::Response mfa_form(Ctx& ctx, std::vector<FieldError> errors, int status) {
    FormBuilder f(ctx, "/login/mfa", "mfa.verify");
    f.field({.name = "code",
             .label_key = "mfa.code",
             .required = true,
             .hint_key = "mfa.code_hint",
             .autocomplete = "one-time-code",
             .inputmode = "numeric"})
        .field({.name = "next", .type = "hidden"}, next_target(ctx))
        .errors(errors);
    return ctx.app.page(ctx, "mfa.title", "form_page",
                        {{"form", f.build()}, {"heading", ctx.t("mfa.heading")}, {"intro", ctx.t("mfa.intro")}}, status);
}

http::Response post_mfa(Ctx& ctx) {
    auto& app = ctx.app;
    auto auth = ctx.auth();
    auto creds = auth.credentials_by_id(ctx.session->user_id);
    if (!creds || !creds->totp_enabled || !creds->totp_secret) return app.see_other(ctx, "/account/mfa");
    // Second-factor failures are counted on their own: wrong passwords typed by others do not
    // stop the owner at this step.
    const auto since = app.clock().now() - app.config().throttle_window;
    if (auth.count_failures("second_factor", creds->email, since) >= app.config().max_failures_per_account) {
        app.end_session(ctx);
        ctx.commit_anyway = true;
        return login_form(ctx, creds->email,
                          {{"", "login.throttled_account", {std::to_string(app.config().throttle_window.count())}}}, 429);
    }
    const auto step = totp_verify(*creds->totp_secret, ctx.form("code"), app.clock().now());
    if (!step || !auth.advance_totp_step(creds->user_id, *step)) {
        auth.record_failure("second_factor", creds->email);
        ctx.commit_anyway = true;
        return mfa_form(ctx, {{"code", "mfa.invalid", {}}}, 401);
    }
    auth.clear_failures("second_factor", creds->email);
    // A new session id once the second factor is passed.
    app.start_session(ctx, creds->user_id, false);
    return app.see_other(ctx, next_target(ctx));
}

http::Response post_logout(Ctx& ctx) {
    ctx.app.end_session(ctx);
    auto r = ctx.app.see_other(ctx, "/login", "logout.done");
    // Nothing of the session stays in the browser's cache (a shared computer).
    r.set_header("Clear-Site-Data", "\"cache\"");
    return r;
}

// The language switch. A visitor's choice is a cookie (GET, from a plain link); a signed-in
// user's is saved on their account (POST with the CSRF token, from the header's button) and
// follows them to other devices.
http::Response switch_lang(Ctx& ctx) {
    const auto lang = parse_lang(ctx.req.params["code"]);
    if (!lang) return ctx.app.error_status(ctx, 404);
    http::CookieOptions o;
    o.secure = ctx.app.config().secure_cookies();
    o.max_age = 365LL * 24 * 3600;
    ctx.cookies.push_back(http::set_cookie("arrimage_lang", std::string(code(*lang)), o));
    if (ctx.req.method == "POST" && ctx.user) ctx.identity().set_preferred_lang(ctx.user->id, *lang);
    return ctx.app.see_other(ctx, local_next(ctx));
}

http::Response home_page(Ctx& ctx, const std::string& error = {}, int status = 200);

http::Response home(Ctx& ctx) {
    if (!ctx.signed_in()) return ctx.app.see_other(ctx, "/login");
    if (ctx.principal.family) return ctx.app.see_other(ctx, "/family");  // a family account's home (features/family)
    return home_page(ctx);
}

// The home page: the user's memberships, and with several, the choice of the one they act under
// for the session (domain::acting_grant). `error`: a choice that is not one of them (422).
http::Response home_page(Ctx& ctx, const std::string& error, int status) {
    json memberships = json::array();
    const bool several = ctx.principal.grants.size() > 1;
    for (const auto& m : ctx.identity().memberships_of(ctx.user->id)) {
        if (!m.active) continue;
        const auto role = domain::parse_role(m.role);
        const bool held = std::any_of(ctx.principal.grants.begin(), ctx.principal.grants.end(), [&](const domain::Grant& g) {
            return role && g.organisation_id == m.organisation_id && g.role == *role;
        });
        if (!held) continue;  // an organisation that is no longer active
        const bool current = ctx.acting && ctx.acting->organisation_id == m.organisation_id && role && ctx.acting->role == *role;
        json item = {{"organisation", ctx.lang == Lang::fr ? m.org_name_fr : m.org_name_en},
                     {"role", ctx.t("role." + m.role)},
                     {"value", std::to_string(m.organisation_id) + ":" + m.role}};
        if (several) item[current ? "current" : "choosable"] = true;
        memberships.push_back(item);
    }
    json model = {{"display_name", ctx.user->display_name},
                  {"memberships", memberships},
                  {"has_memberships", !memberships.empty()},
                  {"several", several},
                  {"can_administer", domain::can_administer(ctx.principal)}};
    if (!error.empty()) model["membership_error"] = error;
    return ctx.app.page(ctx, "home.title", "home", model, status);
}

// POST /session/membership: acts under another of the user's memberships for the rest of the
// session. A value that is not one of them (forged, or a membership ended since the page was
// shown) changes nothing.
http::Response choose_membership(Ctx& ctx) {
    const auto raw = ctx.form("membership");
    const auto colon = raw.find(':');
    std::optional<domain::Grant> chosen;
    if (colon != std::string::npos) {
        const auto org = domain::parse_id(raw.substr(0, colon));
        const auto role = domain::parse_role(raw.substr(colon + 1));
        for (const auto& g : ctx.principal.grants)
            if (org && role && g.organisation_id == *org && g.role == *role) chosen = g;
    }
    if (!chosen) return home_page(ctx, ctx.t("session.membership_not_held"), 422);
    ctx.auth().set_acting_membership(ctx.session->id, chosen->organisation_id, domain::code(chosen->role));
    return ctx.app.see_other(ctx, "/", "session.membership_changed");
}

// ---- password reset and invitations share one single-use token mechanism

struct TokenFlow {
    std::string purpose;  // "reset" or "invite"
    std::string prefix;   // URL prefix
    std::string title_key, heading_key, intro_key, done_flash;
};

const TokenFlow reset_flow{"reset", "/password/reset/", "reset.title", "reset.heading", "reset.intro", "reset.done"};
const TokenFlow invite_flow{"invite",           "/invitation/",   "invitation.title", "invitation.heading",
                            "invitation.intro", "invitation.done"};

std::optional<store::TokenRow> live_token(Ctx& ctx, const TokenFlow& flow) {
    const std::string token = ctx.req.params["token"];
    if (token.size() < 20 || token.size() > 100) return std::nullopt;
    auto row = ctx.auth().find_token(hash_token(token));
    if (!row || row->used || row->purpose != flow.purpose || row->expires_at <= ctx.app.clock().now()) return std::nullopt;
    return row;
}

http::Response token_form(Ctx& ctx, const TokenFlow& flow, std::vector<FieldError> errors, int status) {
    FormBuilder f(ctx, flow.prefix + ctx.req.params["token"], "reset.submit");
    f.field({.name = "password",
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
    return ctx.app.page(ctx, flow.title_key, "form_page",
                        {{"form", f.build()}, {"heading", ctx.t(flow.heading_key)}, {"intro", ctx.t(flow.intro_key)}}, status);
}

http::Response invalid_token(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error{Errc::NotFound, "token.invalid", {}, {}});
}

PageHandler show_token(const TokenFlow& flow) {
    return [&flow](Ctx& ctx) {
        if (!live_token(ctx, flow)) return invalid_token(ctx);
        return token_form(ctx, flow, {}, 200);
    };
}

PageHandler accept_token(const TokenFlow& flow) {
    return [&flow](Ctx& ctx) {
        auto row = live_token(ctx, flow);
        if (!row) return invalid_token(ctx);
        auto user = ctx.identity().find_user(row->user_id);
        if (!user || !user->active) return invalid_token(ctx);
        const std::string password = ctx.form("password");
        auto errors = domain::check_new_password(password, ctx.form("password_confirm"), user->email);
        if (!errors.empty()) return token_form(ctx, flow, errors, 422);
        auto auth = ctx.auth();
        if (!auth.consume_token(row->id)) return invalid_token(ctx);
        auth.set_password_hash(user->id, hash_password(password, ctx.app.config().password_cost));
        auth.revoke_user_sessions(user->id);
        auth.clear_failures("account", user->email);
        return ctx.app.see_other(ctx, "/login", flow.done_flash);
    };
}

http::Response forgot_form(Ctx& ctx, const std::string& email, std::vector<FieldError> errors, int status) {
    FormBuilder f(ctx, "/password/forgot", "forgot.submit");
    f.field({.name = "email", .label_key = "login.email", .type = "email", .required = true, .autocomplete = "username"}, email)
        .errors(errors)
        .cancel("/login");
    return ctx.app.page(ctx, "forgot.title", "form_page",
                        {{"form", f.build()}, {"heading", ctx.t("forgot.heading")}, {"intro", ctx.t("forgot.intro")}}, status);
}

http::Response post_forgot(Ctx& ctx) {
    const std::string email = ascii_lower(trim(ctx.form("email")));
    if (email.empty()) return forgot_form(ctx, email, {{"email", "field.required", {}}}, 422);
    if (!plausible_email(email)) return forgot_form(ctx, email, {{"email", "field.email", {}}}, 422);
    // Each request is counted, registered address or not, per address and per account; past
    // either limit the answer stays the same and no email goes out.
    const auto& cfg = ctx.app.config();
    auto auth = ctx.auth();
    const auto since = ctx.app.clock().now() - cfg.throttle_window;
    const bool within = auth.count_failures("reset_address", ctx.req.remote_addr, since) < cfg.max_resets_per_address &&
                        auth.count_failures("reset_account", email, since) < cfg.max_resets_per_account;
    auth.record_failure("reset_address", ctx.req.remote_addr);
    auth.record_failure("reset_account", email);
    auto user = ctx.identity().find_user_by_email(email);
    if (within && user && user->active) {
        issue_token(ctx, user->id, "reset");
    } else {
        // The same work as issuing a link, so that the time taken tells nothing either.
        const std::string token = ctx.app.random().token(32);
        (void)hash_token(token);
        (void)ctx.app.catalogue().t(ctx.lang, "email.reset.body", {email, cfg.public_base_url + "/password/reset/" + token, "1"});
    }
    // The same answer whether or not the address is registered.
    return ctx.app.see_other(ctx, "/login", "forgot.sent");
}

}  // namespace

http::Response sign_in(Ctx& ctx, const store::Credentials& creds, const std::string& next, const std::string& flash_key) {
    auto& app = ctx.app;
    const auto& cfg = app.config();
    ctx.auth().record_login(creds.user_id);
    const auto principal = ctx.identity().principal_of(creds.user_id);
    const bool needs_second_factor = creds.totp_enabled || domain::requires_second_factor(principal, cfg.mfa_roles);
    app.start_session(ctx, creds.user_id, needs_second_factor);
    http::CookieOptions o;
    o.secure = cfg.secure_cookies();
    o.max_age = 365LL * 24 * 3600;
    ctx.cookies.push_back(http::set_cookie("arrimage_lang", creds.preferred_lang, o));
    if (creds.totp_enabled) return app.see_other(ctx, "/login/mfa?next=" + percent_encode(next));
    if (needs_second_factor) return app.see_other(ctx, "/account/mfa", "mfa.required_setup");
    return app.see_other(ctx, next, flash_key);
}

void issue_token(Ctx& ctx, std::int64_t user_id, const std::string& purpose) {
    auto& app = ctx.app;
    auto user = ctx.identity().find_user(user_id);
    if (!user) return;
    auto auth = ctx.auth();
    auth.expire_tokens(user_id, purpose);
    const std::string token = app.random().token(32);
    const auto ttl = purpose == "reset" ? app.config().reset_token_ttl : app.config().invitation_ttl;
    // An API client's service account gets no sign-in link (store::AuthRepo::create_token refuses).
    if (!auth.create_token(hash_token(token), user_id, purpose, app.clock().now() + ttl)) return;
    const Lang lang = parse_lang(user->preferred_lang).value_or(Lang::en);
    const auto& cat = app.catalogue();
    const std::string link = app.config().public_base_url + (purpose == "reset" ? "/password/reset/" : "/invitation/") + token;
    const std::string hours = std::to_string(ttl.count());
    auth.enqueue_email(user->email, cat.t(lang, "email." + purpose + ".subject"),
                       cat.t(lang, "email." + purpose + ".body", {user->display_name, link, hours}));
}

void register_auth_pages(WebApp& app) {
    app.route("GET", "/", {"home", Access::public_page, TxMode::read, home});
    app.route("POST", "/session/membership", {"session/membership", Access::signed_in, TxMode::write, choose_membership});
    app.route("GET", "/login", {"login", Access::public_page, TxMode::read, [](Ctx& ctx) {
                                    if (ctx.signed_in()) return ctx.app.see_other(ctx, "/");
                                    return login_form(ctx, "", {}, 200);
                                }});
    app.route("POST", "/login", {"login/submit", Access::public_page, TxMode::write, post_login});
    app.route("GET", "/login/mfa",
              {"login/mfa", Access::mfa_pending, TxMode::read, [](Ctx& ctx) { return mfa_form(ctx, {}, 200); }});
    app.route("POST", "/login/mfa", {"login/mfa/submit", Access::mfa_pending, TxMode::write, post_mfa});
    app.route("POST", "/logout", {"logout", Access::mfa_pending, TxMode::write, post_logout});
    app.route("GET", "/lang/{code}", {"lang", Access::public_page, TxMode::read, switch_lang});
    app.route("POST", "/lang/{code}", {"lang/submit", Access::public_page, TxMode::write, switch_lang});
    app.route("GET", "/password/forgot",
              {"password/forgot", Access::public_page, TxMode::read, [](Ctx& ctx) { return forgot_form(ctx, "", {}, 200); }});
    app.route("POST", "/password/forgot", {"password/forgot/submit", Access::public_page, TxMode::write, post_forgot});
    app.route("GET", "/password/reset/{token}", {"password/reset", Access::public_page, TxMode::read, show_token(reset_flow)});
    app.route("POST", "/password/reset/{token}",
              {"password/reset/submit", Access::public_page, TxMode::write, accept_token(reset_flow)});
    app.route("GET", "/invitation/{token}", {"invitation", Access::public_page, TxMode::read, show_token(invite_flow)});
    app.route("POST", "/invitation/{token}",
              {"invitation/submit", Access::public_page, TxMode::write, accept_token(invite_flow)});
}

}  // namespace arrimage::web
