#pragma once
// The access kernel: the only way into personal information.
//
// AccessContext says who asks (a user acting under one of their memberships, or nobody: the
// public referral form), in which transaction and for which request. Its constructor is
// private: only AccessMint makes one, and only the web pipeline (web::WebApp, from the session's
// principal and the membership chosen for the session), test support, benchmarks and the
// command-line tools may use the mint. A
// handler can pass the context it was given on; it cannot make one for another user,
// organisation or role.
//
// Guard is the one decide → audit → permit / refuse sequence. A repository owns one and runs
// each public operation through Guard::operation():
//   - every decision it asks for with decide() is recorded as an audit row; gate() records only
//     a refusal (the accesses behind a permitted gate are recorded one by one); ask() records
//     nothing (a question about which links to offer is not an access);
//   - refuse() turns a refusal into the one answer: NotFound when the actor has no relationship
//     to the record (nothing is learnt about it), Forbidden otherwise;
//   - when the operation ends, its rows are written if it succeeded or if the guard refused it;
//     for any other error (invalid input, a conflict, a sub-record not found) nothing was shown
//     or changed and its rows are dropped. An exception drops them too (the transaction is
//     rolled back by its owner). There is no flush to forget.
// In a write transaction the rows are appended in it (an access and its rows commit together).
// In a read transaction they go to the context's read audit: the request pipeline hands them to
// the group commit (store/audit_writer.hpp) and sends nothing until they are durable. A read
// transaction without a read audit cannot record an access (std::logic_error: a defect).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/privacy.hpp"
#include "store/audit_repo.hpp"
#include "store/db.hpp"

namespace arrimage::web {
class WebApp;
}
namespace arrimage::testsupport {
struct AccessForTests;
}
namespace arrimage::app {
struct Tooling;
}
namespace arrimage::bench {
struct AccessForBench;
}

namespace arrimage::store {

class AccessContext {
  public:
    Tx& tx;
    const Clock& clock;
    const std::optional<domain::Actor> actor;  // empty: nobody signed in (the public form)
    const std::string request_id;
    // Where the rows of a read transaction's accesses wait for the group commit (see Guard).
    std::vector<AuditEvent>* const read_audit;

    bool signed_in() const { return actor.has_value(); }

  private:
    friend class AccessMint;
    AccessContext(Tx& t, const Clock& c, std::optional<domain::Actor> a, std::string id, std::vector<AuditEvent>* reads = nullptr)
        : tx(t), clock(c), actor(std::move(a)), request_id(std::move(id)), read_audit(reads) {}
};

class AccessMint {
  private:
    friend class web::WebApp;
    friend struct testsupport::AccessForTests;
    friend struct app::Tooling;
    friend struct bench::AccessForBench;

    // A user acting under `grant`, which must be one of the principal's memberships (nullopt
    // otherwise: a forged or stale choice gives no context at all).
    // `read_audit` collects the rows of accesses made in a read transaction (see Guard).
    static std::optional<AccessContext> member(Tx& tx, const Clock& clock, const domain::Principal& principal,
                                               const domain::Grant& grant, std::string request_id,
                                               std::vector<AuditEvent>* read_audit = nullptr);
    // A family account (principal.family) acting as itself: Role::family, no organisation. Its
    // relationship to a file is the file's family access (store/person_repo.hpp file_access).
    // nullopt for any other principal.
    static std::optional<AccessContext> family(Tx& tx, const Clock& clock, const domain::Principal& principal,
                                               std::string request_id, std::vector<AuditEvent>* read_audit = nullptr);
    static AccessContext anonymous(Tx& tx, const Clock& clock, std::string request_id,
                                   std::vector<AuditEvent>* read_audit = nullptr);
    // A command-line tool acting under a membership `user_id` holds in the database now (the demo
    // loader registers files as the demo intake coordinator); its rows carry "cli:<tool>" as
    // their request id. nullopt when the user holds no such active membership.
    static std::optional<AccessContext> tool(Tx& tx, const Clock& clock, std::int64_t user_id, std::int64_t organisation_id,
                                             std::string_view tool);
};

// What an audit row is about.
struct AuditTarget {
    std::optional<std::int64_t> person_id;
    std::optional<std::int64_t> referral_id;
};

template <typename T>
struct is_result : std::false_type {};
template <typename T>
struct is_result<Result<T>> : std::true_type {};

// Which answers of a question are recorded.
enum class Record { always, refusal, never };

class Guard {
  public:
    // std::logic_error when the context's accesses could not be recorded (a read transaction
    // without a read audit).
    explicit Guard(const AccessContext& ctx);
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

    // Asks the policy; the answer is recorded as `how` says.
    domain::Decision decide(domain::AccessRequest q, AuditTarget target = {}, Record how = Record::always);
    // Asks the policy; the answer is recorded only when it refuses.
    domain::Decision gate(domain::AccessRequest q, AuditTarget target = {}) { return decide(q, target, Record::refusal); }
    // Asks the policy; nothing is recorded.
    domain::Decision ask(domain::AccessRequest q) { return decide(q, {}, Record::never); }
    // Records a decision made here rather than by the policy (a write on the agreement the
    // form records, a refusal for a relationship the operation does not serve).
    void record(const domain::AccessRequest& q, const domain::Decision& d, AuditTarget target = {});
    // The refusal of an access the operation does not serve to `q.relationship` (a keeper's
    // work asked by someone else, a family account's write outside its part): no_relationship
    // when there is none, else role_relationship_not_permitted, recorded as `how` says.
    domain::Decision deny_unserved(const domain::AccessRequest& q, AuditTarget target = {}, Record how = Record::always);
    // The same, recorded and answered as refuse(q.relationship) answers.
    Error refuse_unserved(const domain::AccessRequest& q, AuditTarget target = {});

    // The refusal of an access to a record the actor stands to as `r` (see the header).
    Error refuse(domain::Relationship r);
    // A refusal decided and recorded above, answered as `e` (NotFound or Forbidden).
    Error refuse(Error e);

    // Runs one operation (see the header). Operations may nest: only the outermost writes.
    template <typename F>
    auto operation(F&& f) -> decltype(f()) {
        Scope scope(*this);
        auto result = f();
        bool keep = true;
        if constexpr (is_result<decltype(result)>::value) keep = result.ok() || refusals_ != scope.refusals;
        scope.end(keep);
        return result;
    }

    // The rows recorded and not yet written (for tests of the guard itself).
    const std::vector<AuditEvent>& pending() const { return pending_; }
    const AccessContext& context() const { return ctx_; }

  private:
    struct Scope {
        Guard& g;
        std::size_t mark;
        int refusals;
        bool ended = false;
        explicit Scope(Guard& guard) : g(guard), mark(guard.pending_.size()), refusals(guard.refusals_) { ++g.depth_; }
        void end(bool keep);
        ~Scope();
    };

    AuditEvent event_of(const domain::AccessRequest& q, const domain::Decision& d, const AuditTarget& t) const;
    void write();

    const AccessContext& ctx_;
    std::vector<AuditEvent> pending_;
    int depth_ = 0;
    int refusals_ = 0;
};

}  // namespace arrimage::store
