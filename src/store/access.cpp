#include "store/access.hpp"

#include <algorithm>
#include <stdexcept>

#include "store/identity_repo.hpp"

namespace arrimage::store {

namespace d = arrimage::domain;

std::optional<AccessContext> AccessMint::member(Tx& tx, const Clock& clock, const d::Principal& principal, const d::Grant& grant,
                                                std::string request_id, std::vector<AuditEvent>* read_audit) {
    const bool held = std::any_of(principal.grants.begin(), principal.grants.end(), [&](const d::Grant& g) {
        return g.organisation_id == grant.organisation_id && g.role == grant.role;
    });
    if (!held || principal.user_id == 0 || principal.family || grant.role == d::Role::family) return std::nullopt;
    return AccessContext(tx, clock, d::Actor{principal.user_id, grant.organisation_id, grant.role}, std::move(request_id),
                         read_audit);
}

std::optional<AccessContext> AccessMint::tool(Tx& tx, const Clock& clock, std::int64_t user_id, std::int64_t organisation_id,
                                              std::string_view tool) {
    const auto principal = IdentityRepo(tx, clock).principal_of(user_id);
    for (const auto& g : principal.grants)
        if (g.organisation_id == organisation_id) return member(tx, clock, principal, g, "cli:" + std::string(tool));
    return std::nullopt;
}

std::optional<AccessContext> AccessMint::family(Tx& tx, const Clock& clock, const d::Principal& principal, std::string request_id,
                                                std::vector<AuditEvent>* read_audit) {
    if (!principal.family || principal.user_id == 0) return std::nullopt;
    return AccessContext(tx, clock, d::Actor{principal.user_id, 0, d::Role::family}, std::move(request_id), read_audit);
}

AccessContext AccessMint::anonymous(Tx& tx, const Clock& clock, std::string request_id, std::vector<AuditEvent>* read_audit) {
    return AccessContext(tx, clock, std::nullopt, std::move(request_id), read_audit);
}

Guard::Guard(const AccessContext& ctx) : ctx_(ctx) {
    if (ctx_.tx.mode() != TxMode::write && !ctx_.read_audit)
        throw std::logic_error("an access in a read transaction with nowhere to record it");
}

AuditEvent Guard::event_of(const d::AccessRequest& q, const d::Decision& decision, const AuditTarget& t) const {
    auto e = AuditEvent::of(q, decision, t.person_id, ctx_.request_id);
    if (!ctx_.actor) {
        e.user_id.reset();
        e.organisation_id.reset();
    } else if (ctx_.actor->role == d::Role::family) {
        e.organisation_id.reset();  // a family account acts for no organisation
    }
    e.referral_id = t.referral_id;
    return e;
}

d::Decision Guard::decide(d::AccessRequest q, AuditTarget target, Record how) {
    q.actor = ctx_.actor.value_or(d::Actor{});
    const auto decision = d::decide(q, ctx_.clock.now());
    if (how == Record::always || (how == Record::refusal && decision.effect == d::Effect::deny))
        pending_.push_back(event_of(q, decision, target));
    return decision;
}

void Guard::record(const d::AccessRequest& q, const d::Decision& decision, AuditTarget target) {
    auto request = q;
    request.actor = ctx_.actor.value_or(d::Actor{});
    pending_.push_back(event_of(request, decision, target));
}

d::Decision Guard::deny_unserved(const d::AccessRequest& q, AuditTarget target, Record how) {
    const d::Decision deny{
        d::Effect::deny,
        q.relationship == d::Relationship::none ? d::Reason::no_relationship : d::Reason::role_relationship_not_permitted, false,
        0};
    if (how != Record::never) record(q, deny, target);
    return deny;
}

Error Guard::refuse_unserved(const d::AccessRequest& q, AuditTarget target) {
    deny_unserved(q, target);
    return refuse(q.relationship);
}

Error Guard::refuse(d::Relationship r) {
    return refuse(r == d::Relationship::none ? Error::not_found() : Error::forbidden());
}

Error Guard::refuse(Error e) {
    ++refusals_;
    return e;
}

void Guard::write() {
    if (pending_.empty()) return;
    if (ctx_.tx.mode() == TxMode::write) {
        AuditRepo(ctx_.tx, ctx_.clock).append_all(pending_);
    } else if (ctx_.read_audit) {
        ctx_.read_audit->insert(ctx_.read_audit->end(), pending_.begin(), pending_.end());
    } else {
        throw std::logic_error("an access in a read transaction with nowhere to record it");
    }
    pending_.clear();
}

void Guard::Scope::end(bool keep) {
    ended = true;
    if (!keep) g.pending_.resize(mark);
    if (--g.depth_ == 0) {
        g.refusals_ = 0;
        g.write();
    }
}

Guard::Scope::~Scope() {
    if (ended) return;
    // An exception: nothing of this operation is written (its transaction is rolled back).
    g.pending_.resize(mark);
    if (--g.depth_ == 0) g.refusals_ = 0;
}

}  // namespace arrimage::store
