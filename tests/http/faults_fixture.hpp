#pragma once
// Fault injection over a write, through the real HTTP server with the demo data (FaultsWeb,
// FaultsFeatures): the same form is posted again and again, once failing its commit, then
// failing one of its statements; every failed run must answer 503 with the service's error page
// in the user's language and leave every table exactly as it was, and the run that meets no
// fault must succeed.
//
// ARRIMAGE_FAULT_STRIDE chooses which statements fail. 1 fails each in turn, the first, the
// second and so on (what `make reliability` runs). s > 1 fails the first three, every s-th, and
// the last three (where a write puts its audit rows and a transition its event); unset: 5.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"

namespace arrimage::testsupport {

// The statements between two failed ones after the first three (1: every statement).
inline int fault_stride() {
    const char* v = std::getenv("ARRIMAGE_FAULT_STRIDE");
    if (!v || !*v) return 5;
    char* end = nullptr;
    const long s = std::strtol(v, &end, 10);
    if (*end != '\0' || s < 1 || s > 1000) {
        ADD_FAILURE() << "ARRIMAGE_FAULT_STRIDE must be a whole number from 1 to 1000, not \"" << v << "\"";
        return 1;
    }
    return static_cast<int>(s);
}

// The statements to fail for a write of `n` statements (1-based, ascending): with stride 1 all
// of them; otherwise the first three, every `stride`-th and the last three.
inline std::vector<int> statements_to_fail(int n, int stride) {
    std::set<int> ks;
    for (int k = 1; k <= n; ++k)
        if (k <= 3 || k > n - 3 || k % stride == 0) ks.insert(k);
    return {ks.begin(), ks.end()};
}

class FaultSweepTest : public DemoServerTest {
  protected:
    // A demo user signed in, the pages in `lang`.
    Client as(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::string id_of(const std::string& sql, const store::Params& params = {}) { return std::to_string(scalar(sql, params)); }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    // The demo area's referral pathway for a need (its taxonomy code, e.g. "developmental").
    std::string pathway(const std::string& need) {
        return id_of("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = ?", {need});
    }
    // The public referral form (/refer) as a parent fills it in for their child of `family_name`.
    static std::string family_referral_form(const std::string& pathway_id, const std::string& family_name) {
        return "pathway_id=" + pathway_id + "&source=family&given_name=" + enc("Zoé") + "&family_name=" + enc(family_name) +
               "&date_of_birth=2016-04-03&official_language=fr&contact_given_name=Ana&contact_family_name=" + enc(family_name) +
               "&contact_relationship=parent&contact_phone=" + enc("613-555-0199") +
               "&contact_email=ana%40example.invalid&needs=" + enc("Retard de langage.") +
               "&consent_given_by=substitute_decision_maker&consent=1";
    }

    // Posts `form` to `target` with the CSRF token of the form's page `page`: first failing its
    // commit (which runs every statement of the write and so counts them), then failing the
    // statements statements_to_fail() picks, then the following ones in turn until a run meets
    // no fault: that run must answer `success`. Every failed run must answer 503 with the
    // service's error page and leave every table as it was. Returns the statements of the write.
    int expect_all_or_nothing(Client& c, const std::string& page, const std::string& target, const std::string& form,
                              int success) {
        const auto shown_page = c.get(page);
        EXPECT_EQ(shown_page.status, 200) << page;
        const auto csrf = Client::csrf(shown_page.body);
        EXPECT_FALSE(csrf.empty()) << page;
        const std::string body = "_csrf=" + csrf + "&" + form;
        const Lang lang = c.cookie("arrimage_lang") == "fr" ? Lang::fr : Lang::en;
        const std::string unavailable = shown(lang, "error.http.503");
        const auto before = snapshot_tables(*t_->db);
        int failed_runs = 0;
        // A failed run's answer and what it left; false when the sweep cannot go on.
        auto failed_cleanly = [&](const Reply& r, const std::string& where) {
            ++failed_runs;
            EXPECT_EQ(r.status, 503) << target << ": " << where;
            EXPECT_TRUE(r.has(unavailable)) << target << ": " << where
                                            << ": the error page does not say the service is unavailable";
            if (snapshot_tables(*t_->db) == before) return true;
            ADD_FAILURE() << target << ": " << where << " left part of the write";
            return false;
        };

        faulty_->fail_statement(0);  // counts from here
        faulty_->reset_fired();
        faulty_->fail_commits(true);
        const auto r = c.post(target, body);
        faulty_->fail_commits(false);
        const int counted = faulty_->statements();
        EXPECT_TRUE(faulty_->fired()) << target << ": no commit";
        if (!failed_cleanly(r, "a failed commit")) return 0;

        // One run failing statement k: its answer, whether the fault was met, the statements it ran.
        struct Run {
            Reply reply;
            bool fired;
            int ran;
        };
        auto run = [&](int k) {
            faulty_->reset_fired();
            faulty_->fail_statement(k);
            Run out{c.post(target, body), faulty_->fired(), faulty_->statements()};
            faulty_->fail_statement(0);
            return out;
        };
        // The run that met no fault: the write done. What the sweep did goes to the test's
        // properties (--gtest_output=xml).
        auto succeeded = [&](const Run& x) {
            RecordProperty("statements", x.ran);
            RecordProperty("statements_before_the_failed_commit", counted);
            RecordProperty("failed_runs", failed_runs);
            EXPECT_EQ(x.reply.status, success) << target << ": the run without a fault (" << x.ran << " statements)\n"
                                               << x.reply.body.substr(0, 2000);
            EXPECT_FALSE(snapshot_tables(*t_->db) == before) << target << ": the write wrote nothing";
            return x.ran;
        };
        for (const int k : statements_to_fail(counted, fault_stride())) {
            const auto x = run(k);
            if (!x.fired) return succeeded(x);  // fewer statements than the failed commit ran
            if (!failed_cleanly(x.reply, "a failure at statement " + std::to_string(k) + " of " + std::to_string(counted)))
                return k;
        }
        // On to the end: any statement after those the failed commit ran, until a run meets no fault.
        for (int k = counted + 1; k < counted + 1000; ++k) {
            const auto x = run(k);
            if (!x.fired) return succeeded(x);
            if (!failed_cleanly(x.reply, "a failure at statement " + std::to_string(k))) return k;
        }
        ADD_FAILURE() << target << ": never ran to the end";
        return 0;
    }
};

}  // namespace arrimage::testsupport
