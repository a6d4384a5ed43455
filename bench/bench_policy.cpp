// The policy decision point's cost: decide() must average at most 2 µs. Files are given a
// realistic history (several consent versions naming several organisations, lockbox entries,
// an expired break-the-glass grant) so the loops over directives do real work.
#include <benchmark/benchmark.h>

#include <vector>

#include "core/time.hpp"
#include "domain/privacy.hpp"

using namespace arrimage;
using namespace arrimage::domain;
using namespace std::chrono_literals;

namespace {

const TimePoint now = *parse_iso("2026-11-23T09:00:00Z");

struct File {
    std::vector<ConsentDirective> directives;
    std::vector<LockboxEntry> lockbox;
    std::vector<BreakGlassGrant> glass;
};

// `n` directives: superseded versions (withdrawn or expired), the current broad permit, a deny
// carved out of it; each names six organisations.
File file_with(int n) {
    File f;
    for (int i = 0; i < n; ++i) {
        ConsentDirective d;
        d.id = i + 1;
        d.effect = (i % 5 == 4) ? DirectiveEffect::deny : DirectiveEffect::permit;
        d.organisations = {100 + i, 101, 102, 103, 104, 105 + i};
        d.categories = d.effect == DirectiveEffect::deny
                           ? CategorySet{Category::case_notes}
                           : CategorySet{Category::identity_contact,    Category::health,     Category::education, Category::plan,
                                         Category::assessments_reports, Category::safety_risk};
        d.purposes = {Purpose::coordination, Purpose::referral};
        d.given_at = now - 24h * (400 - i);
        if (i + 2 < n)
            d.withdrawn_at = now - 24h * (300 - i);  // superseded by a later version
        else
            d.expires_at = now + 24h * 200;
        f.directives.push_back(d);
    }
    f.lockbox = {{1, 103, Category::health, GivenBy::child_youth, now - 24h * 10, std::nullopt},
                 {2, 104, Category::safety_risk, GivenBy::child_youth, now - 24h * 10, now - 24h},
                 {3, 102, Category::education, GivenBy::substitute_decision_maker, now - 24h * 5, std::nullopt}};
    f.glass = {{1, 7, 101, "Risk of harm reported by school", now - 3h, now - 2h}};
    return f;
}

AccessRequest request(const File& f, Role role, Relationship rel, Category cat, Purpose pur, Action act, std::int64_t org) {
    AccessRequest q;
    q.actor = {7, org, role};
    q.relationship = rel;
    q.category = cat;
    q.purpose = pur;
    q.action = act;
    q.directives = f.directives;
    q.lockbox = f.lockbox;
    q.break_glass = f.glass;
    return q;
}

void BM_decide_team_member_read(benchmark::State& state) {
    const File f = file_with(static_cast<int>(state.range(0)));
    const auto q = request(f, Role::participant_staff, Relationship::team_member, Category::health, Purpose::coordination,
                           Action::read, 101);
    for (auto _ : state) benchmark::DoNotOptimize(decide(q, now));
}
BENCHMARK(BM_decide_team_member_read)->Arg(1)->Arg(6)->Arg(20);

void BM_decide_lockbox_withheld(benchmark::State& state) {
    const File f = file_with(6);
    const auto q =
        request(f, Role::provider_manager, Relationship::team_member, Category::health, Purpose::coordination, Action::read, 103);
    for (auto _ : state) benchmark::DoNotOptimize(decide(q, now));
}
BENCHMARK(BM_decide_lockbox_withheld);

void BM_decide_denied_then_break_glass_checked(benchmark::State& state) {
    const File f = file_with(6);
    const auto q =
        request(f, Role::coordinator, Relationship::none, Category::safety_risk, Purpose::coordination, Action::read, 101);
    for (auto _ : state) benchmark::DoNotOptimize(decide(q, now));
}
BENCHMARK(BM_decide_denied_then_break_glass_checked);

// A mix over every role, relationship, category, purpose and action: the average that matters.
void BM_decide_mix(benchmark::State& state) {
    const File f = file_with(6);
    std::vector<AccessRequest> qs;
    for (auto role : all_roles())
        for (auto rel : all_relationships())
            for (auto cat : all_categories())
                for (auto pur : all_purposes())
                    for (auto act : all_actions()) qs.push_back(request(f, role, rel, cat, pur, act, 101 + (qs.size() % 5)));
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(decide(qs[i], now));
        if (++i == qs.size()) i = 0;
    }
    state.SetLabel(std::to_string(qs.size()) + " distinct requests");
}
BENCHMARK(BM_decide_mix);

}  // namespace

BENCHMARK_MAIN();
