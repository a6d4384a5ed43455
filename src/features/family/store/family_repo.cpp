#include "features/family/store/family_repo.hpp"

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

namespace d = arrimage::domain;

namespace {

// Who is invited or has access: the family member's given name, or the youth's.
constexpr const char* who_sql =
    "CASE WHEN x.relation = 'self' THEN p.given_name ELSE COALESCE(m.given_name, '') END, COALESCE(m.relationship, '')";

}  // namespace

FamilyRepo::FamilyRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::string FamilyRepo::now() const {
    return format_iso(ctx_.clock.now());
}

// The file's keeper of family access: its assigned coordinator or its coordinating agency, as the
// policy permits them identity and contact; anyone else refused on record.
Result<FileAccess> FamilyRepo::keeper(std::int64_t person_id, d::Action a) {
    if (!ctx_.actor) return Error::forbidden();
    auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!f) {
        d::AccessRequest q;
        q.action = a;
        guard_.decide(q, {person_id});
        return guard_.refuse(d::Relationship::none);
    }
    auto q = f->request(d::Category::identity_contact, a);
    if (q.relationship == d::Relationship::coordinating_agency) q.purpose = d::Purpose::coordination;
    if (f->relationship != d::Relationship::assigned_coordinator && f->relationship != d::Relationship::coordinating_agency) {
        return guard_.refuse_unserved(q, {person_id});
    }
    if (!guard_.decide(q, {person_id}).permitted()) return guard_.refuse(f->relationship);
    return std::move(*f);
}

Result<FileFamily> FamilyRepo::for_file(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<FileFamily> {
        auto f = keeper(person_id, d::Action::read);
        if (!f) return f.error();
        FileFamily out;
        out.person_id = person_id;
        auto p = ctx_.tx.query_one("SELECT given_name, capable_of_consent FROM people WHERE id = ?", {person_id});
        out.youth_name = p->str(0);
        out.youth_capable = p->boolean(1);
        for (const auto& r : ctx_.tx.query(std::string("SELECT x.id, x.relation, ") + who_sql +
                                               ", u.email, x.created_at, x.authority FROM family_access x "
                                               "JOIN people p ON p.id = x.person_id JOIN users u ON u.id = x.user_id "
                                               "LEFT JOIN family_members m ON m.id = x.family_member_id "
                                               "WHERE x.person_id = ? AND x.revoked_at IS NULL ORDER BY x.id",
                                           {person_id}))
            out.accounts.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.boolean(6)});
        const std::string t = now();
        for (const auto& r : ctx_.tx.query(std::string("SELECT x.id, x.relation, ") + who_sql +
                                               ", x.login, x.delivery, x.created_at, x.expires_at, x.used_at, x.cancelled_at "
                                               "FROM family_invitations x JOIN people p ON p.id = x.person_id "
                                               "LEFT JOIN family_members m ON m.id = x.family_member_id "
                                               "WHERE x.person_id = ? ORDER BY x.id DESC",
                                           {person_id})) {
            std::string state = !r.is_null(8) ? "used" : !r.is_null(9) ? "cancelled" : r.str(7) <= t ? "expired" : "pending";
            out.invitations.push_back({r.i64(0), r.str(1), r.str(2), r.str(4), r.str(5), r.str(6), r.str(7), std::move(state)});
        }
        for (const auto& r : ctx_.tx.query("SELECT id, given_name, relationship, COALESCE(email, '') FROM family_members "
                                           "WHERE person_id = ? AND active = 1 ORDER BY id",
                                           {person_id}))
            out.members.push_back({r.i64(0), r.str(1), r.str(2), r.str(3)});
        return out;
    });
}

Result<IssuedInvitation> FamilyRepo::invite(std::int64_t person_id, const d::Invite& in, const std::string& code,
                                            const std::string& login) {
    return guard_.operation([&]() -> Result<IssuedInvitation> {
        auto f = keeper(person_id, d::Action::update);
        if (!f) return f.error();
        IssuedInvitation out;
        auto p =
            ctx_.tx.query_one("SELECT given_name, official_language, capable_of_consent FROM people WHERE id = ?", {person_id});
        out.lang = parse_lang(p->str(1)).value_or(Lang::en);
        if (in.relation == d::FamilyRelation::self) {
            out.name = p->str(0);
            // A youth who is not capable of deciding has their substitute decision-maker act for them.
            if (!p->boolean(2)) return Error::invalid_field("member", "family.error.youth_not_capable");
            if (ctx_.tx.query_one("SELECT 1 FROM family_access WHERE person_id = ? AND relation = 'self' AND revoked_at IS NULL",
                                  {person_id}))
                return Error::invalid_field("member", "family.error.already_has_access");
        } else {
            auto m = ctx_.tx.query_one("SELECT given_name FROM family_members WHERE id = ? AND person_id = ? AND active = 1",
                                       {*in.family_member_id, person_id});
            if (!m) return Error::invalid_field("member", "field.choose_from_list");
            out.name = m->str(0);
            if (ctx_.tx.query_one(
                    "SELECT 1 FROM family_access WHERE person_id = ? AND family_member_id = ? AND revoked_at IS NULL",
                    {person_id, *in.family_member_id}))
                return Error::invalid_field("member", "family.error.already_has_access");
        }
        const auto at = ctx_.clock.now();
        auto row = ctx_.tx.query_one(
            "INSERT INTO family_invitations (person_id, relation, family_member_id, authority, code_hash, login, delivery, "
            "created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {person_id, std::string(d::code(in.relation)), opt(in.family_member_id), std::int64_t{in.authority ? 1 : 0},
             hash_token(code), login, std::string(d::code(in.delivery)), format_iso(at), ctx_.actor->user_id,
             format_iso(at + d::invitation_lifetime)});
        out.id = row->i64(0);
        out.code = code;
        out.login = login;
        out.email = in.email;
        return out;
    });
}

Result<void> FamilyRepo::cancel_invitation(std::int64_t person_id, std::int64_t invitation_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = keeper(person_id, d::Action::update);
        if (!f) return f.error();
        auto r = ctx_.tx.query_one("SELECT used_at, cancelled_at FROM family_invitations WHERE id = ? AND person_id = ?",
                                   {invitation_id, person_id});
        if (!r) return Error::not_found();
        if (!r->is_null(0) || !r->is_null(1)) return Error::conflict("family.error.invitation_closed");
        ctx_.tx.exec("UPDATE family_invitations SET cancelled_at = ?, cancelled_by = ? WHERE id = ?",
                     {now(), ctx_.actor->user_id, invitation_id});
        return {};
    });
}

Result<void> FamilyRepo::set_authority(std::int64_t person_id, std::int64_t access_id, bool authority) {
    return guard_.operation([&]() -> Result<void> {
        auto f = keeper(person_id, d::Action::update);
        if (!f) return f.error();
        auto r = ctx_.tx.query_one("SELECT relation FROM family_access WHERE id = ? AND person_id = ? AND revoked_at IS NULL",
                                   {access_id, person_id});
        if (!r) return Error::not_found();
        if (r->str(0) != "family_of") return Error::conflict("family.error.youth_authority");
        ctx_.tx.exec("UPDATE family_access SET authority = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                     {std::int64_t{authority ? 1 : 0}, now(), ctx_.actor->user_id, access_id});
        if (!authority) cancel_pending(person_id, access_id);
        return {};
    });
}

Result<void> FamilyRepo::end_access(std::int64_t person_id, std::int64_t access_id) {
    return guard_.operation([&]() -> Result<void> {
        auto f = keeper(person_id, d::Action::update);
        if (!f) return f.error();
        const auto t = now();
        if (ctx_.tx.exec("UPDATE family_access SET revoked_at = ?, revoked_by = ?, updated_at = ?, updated_by = ? "
                         "WHERE id = ? AND person_id = ? AND revoked_at IS NULL",
                         {t, ctx_.actor->user_id, t, ctx_.actor->user_id, access_id, person_id}) == 0)
            return Error::not_found();
        cancel_pending(person_id, access_id);
        return {};
    });
}

// An access ended or its authority withdrawn: the same person's invitations still pending are
// cancelled, so an earlier invitation cannot give back what was taken away.
void FamilyRepo::cancel_pending(std::int64_t person_id, std::int64_t access_id) {
    auto a = ctx_.tx.query_one("SELECT relation, family_member_id FROM family_access WHERE id = ?", {access_id});
    if (!a) return;
    ctx_.tx.exec(
        "UPDATE family_invitations SET cancelled_at = ?, cancelled_by = ? WHERE person_id = ? AND used_at IS NULL AND "
        "cancelled_at IS NULL AND relation = ? AND COALESCE(family_member_id, 0) = ?",
        {now(), ctx_.actor->user_id, person_id, a->str(0), a->i64(1)});
}

// ---- joining

Result<JoinInvitation> FamilyRepo::invitation(const std::string& code) {
    return guard_.operation([&]() -> Result<JoinInvitation> {
        auto r = ctx_.tx.query_one(
            std::string("SELECT x.person_id, x.login, x.relation, x.used_at, x.cancelled_at, x.expires_at, ") + who_sql +
                " FROM family_invitations x JOIN people p ON p.id = x.person_id "
                "LEFT JOIN family_members m ON m.id = x.family_member_id WHERE x.code_hash = ?",
            {hash_token(code)});
        if (!r) return Error::invalid_field("code", "family.error.code_unknown");
        const bool used = !r->is_null(3) || !r->is_null(4);
        if (used || r->str(5) <= now()) {
            // A spent or expired code is a refused access to the file it was for, on record.
            d::AccessRequest q;
            q.category = d::Category::identity_contact;
            q.action = d::Action::create;
            guard_.deny_unserved(q, {r->i64(0)});
            return guard_.refuse(Error::invalid_field("code", used ? "family.error.code_used" : "family.error.code_expired"));
        }
        JoinInvitation out;
        out.login = r->str(1);
        out.relation = r->str(2);
        out.name = r->str(6);
        out.existing_account =
            ctx_.tx.query_one("SELECT 1 FROM users WHERE email = ? AND kind = 'family'", {out.login}).has_value();
        return out;
    });
}

Result<std::int64_t> FamilyRepo::join(const d::Join& j, const std::string& password, const std::string& password_hash) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto inv = invitation(j.code);
        if (!inv) return inv.error();
        auto x = ctx_.tx.query_one(
            "SELECT id, person_id, relation, family_member_id, authority FROM family_invitations WHERE code_hash = ?",
            {hash_token(j.code)});
        const std::string t = now();
        const auto person_id = x->i64(1);
        // Everything is checked before anything is written: the account (an existing family
        // account signs in with its password), one access per account and file and per person
        // invited (a second invitation of someone who already has access, perhaps without
        // authority, gives nothing), and the code claimed once (a concurrent join finds it used).
        std::int64_t user_id = 0;
        if (auto u = ctx_.tx.query_one("SELECT id, kind, COALESCE(password_hash, ''), active FROM users WHERE email = ?",
                                       {inv->login})) {
            if (u->str(1) != "family" || !u->boolean(3)) return Error::invalid_field("code", "family.error.login_taken");
            if (!verify_password(password, u->str(2))) return Error::invalid_field("password", "family.error.wrong_password");
            user_id = u->i64(0);
        }
        if (ctx_.tx.query_one("SELECT 1 FROM family_access WHERE person_id = ? AND revoked_at IS NULL AND (user_id = ? OR "
                              "(relation = ? AND COALESCE(family_member_id, 0) = ?))",
                              {person_id, user_id, x->str(2), x->is_null(3) ? std::int64_t{0} : x->i64(3)}))
            return Error::invalid_field("code", "family.error.already_has_access");
        if (ctx_.tx.exec("UPDATE family_invitations SET used_at = ? WHERE id = ? AND used_at IS NULL AND cancelled_at IS NULL",
                         {t, x->i64(0)}) == 0)
            return Error::invalid_field("code", "family.error.code_used");
        if (user_id == 0)
            user_id = ctx_.tx
                          .query_one(
                              "INSERT INTO users (email, display_name, preferred_lang, password_hash, kind, created_at, "
                              "updated_at) VALUES (?, ?, ?, ?, 'family', ?, ?) RETURNING id",
                              {inv->login, j.display_name, std::string(code(j.lang)), password_hash, t, t})
                          ->i64(0);
        ctx_.tx.exec("UPDATE family_invitations SET used_by = ? WHERE id = ?", {user_id, x->i64(0)});
        ctx_.tx.exec(
            "INSERT INTO family_access (person_id, user_id, relation, family_member_id, authority, invitation_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {person_id, user_id, x->str(2), opt(x->opt_i64(3)), x->i64(4), x->i64(0), t, t});
        // The file's family access, granted: on record against the file.
        d::AccessRequest q;
        q.relationship = x->str(2) == "self" ? d::Relationship::self : d::Relationship::family_of;
        q.category = d::Category::identity_contact;
        q.action = d::Action::create;
        guard_.record(q, {d::Effect::permit, d::Reason::family_access, false, 0}, {person_id});
        return user_id;
    });
}

// ---- the family's own files

std::vector<FamilyFileRow> FamilyRepo::my_files() {
    return guard_.operation([&]() {
        std::vector<FamilyFileRow> out;
        if (!ctx_.actor || ctx_.actor->role != d::Role::family) return out;
        for (const auto& r : ctx_.tx.query("SELECT x.person_id, x.relation FROM family_access x "
                                           "WHERE x.user_id = ? AND x.revoked_at IS NULL ORDER BY x.id",
                                           {ctx_.actor->user_id})) {
            FamilyFileRow row;
            row.person_id = r.i64(0);
            row.relation = r.str(1);
            auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, row.person_id);
            if (!f) continue;
            const auto decision = guard_.decide(f->request(d::Category::identity_contact, d::Action::list), {row.person_id});
            row.permitted = decision.permitted();
            if (row.permitted)
                row.given_name = ctx_.tx.query_one("SELECT given_name FROM people WHERE id = ?", {row.person_id})->str(0);
            else
                row.reason = d::reason_key(decision.reason);
            out.push_back(std::move(row));
        }
        return out;
    });
}

// ---- the youth's choices

Result<FileAccess> FamilyRepo::youth(std::int64_t person_id, d::Action a) {
    if (!ctx_.actor) return Error::not_found();
    auto f = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!f) {
        d::AccessRequest q;
        q.action = a;
        return guard_.refuse_unserved(q, {person_id});
    }
    auto q = f->request(d::Category::identity_contact, a);
    if (f->relationship != d::Relationship::self) return guard_.refuse_unserved(q, {person_id});
    if (!guard_.decide(q, {person_id}).permitted()) return guard_.refuse(f->relationship);
    return std::move(*f);
}

Result<FileSharing> FamilyRepo::sharing(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<FileSharing> {
        auto f = youth(person_id, d::Action::read);
        if (!f) return f.error();
        FileSharing out;
        out.person_id = person_id;
        for (const auto& r : ctx_.tx.query("SELECT a.id, m.given_name, m.relationship FROM family_access a "
                                           "JOIN family_members m ON m.id = a.family_member_id "
                                           "WHERE a.person_id = ? AND a.relation = 'family_of' AND a.revoked_at IS NULL "
                                           "ORDER BY a.id",
                                           {person_id})) {
            SharingRow row{r.i64(0), r.str(1), r.str(2), {}};
            for (const auto& w :
                 ctx_.tx.query("SELECT category FROM family_withholdings WHERE family_access_id = ? AND revoked_at IS NULL",
                               {row.access_id}))
                if (auto c = d::parse_category(w.str(0))) row.withheld.insert(*c);
            out.members.push_back(std::move(row));
        }
        return out;
    });
}

Result<void> FamilyRepo::set_withheld(std::int64_t person_id, std::int64_t access_id, d::CategorySet withheld) {
    return guard_.operation([&]() -> Result<void> {
        auto f = youth(person_id, d::Action::update);
        if (!f) return f.error();
        for (auto c : d::all_categories())
            if (withheld.contains(c) && !d::withholdable_from_family(c))
                return Error::invalid_field("categories", "family.sharing.error.category", {std::string(d::code(c))});
        if (!ctx_.tx.query_one("SELECT 1 FROM family_access WHERE id = ? AND person_id = ? AND relation = 'family_of' "
                               "AND revoked_at IS NULL",
                               {access_id, person_id}))
            return Error::not_found();
        const auto t = now();
        d::CategorySet current;
        for (const auto& w : ctx_.tx.query(
                 "SELECT category FROM family_withholdings WHERE family_access_id = ? AND revoked_at IS NULL", {access_id}))
            if (auto c = d::parse_category(w.str(0))) current.insert(*c);
        for (auto c : d::all_categories()) {
            if (withheld.contains(c) && !current.contains(c))
                ctx_.tx.exec(
                    "INSERT INTO family_withholdings (family_access_id, category, created_at, created_by) VALUES (?, ?, ?, ?)",
                    {access_id, std::string(d::code(c)), t, ctx_.actor->user_id});
            else if (!withheld.contains(c) && current.contains(c))
                ctx_.tx.exec(
                    "UPDATE family_withholdings SET revoked_at = ?, revoked_by = ? WHERE family_access_id = ? AND category = ? "
                    "AND revoked_at IS NULL",
                    {t, ctx_.actor->user_id, access_id, std::string(d::code(c))});
        }
        return {};
    });
}

FileContacts FamilyRepo::contacts(std::int64_t person_id) {
    FileContacts out;
    const auto t = now();
    // The file's public reference: its latest referral's (a file registered directly has none:
    // its number, as on the caseload).
    auto p = ctx_.tx.query_one(
        "SELECT COALESCE((SELECT r.reference FROM referrals r WHERE r.person_id = p.id ORDER BY r.id DESC LIMIT 1), ''), "
        "p.coordinating_agency_id FROM people p WHERE p.id = ?",
        {person_id});
    if (!p) return out;
    out.reference = p->str(0).empty() ? "#" + std::to_string(person_id) : p->str(0);
    for (const auto& r : ctx_.tx.query("SELECT DISTINCT user_id FROM file_team WHERE person_id = ? AND kind = "
                                       "'assigned_coordinator' AND from_at <= ? AND (until_at IS NULL OR until_at > ?) "
                                       "ORDER BY user_id",
                                       {person_id, t, t}))
        out.coordinators.push_back(r.i64(0));
    out.agency_id = p->i64(1);
    return out;
}

}  // namespace arrimage::store
