// The authorization matrix of every route that touches a child's personal information, through
// the real HTTP server, on the backend under test (SQLite: label db, PostgreSQL: label pg).
//
// Two service delivery areas, each with its own coordinating agency, privacy officer and staff:
// area A is the demo data (Léa Démo-Tremblay's file: assigned coordinator, a team member of the
// treatment centre, consent, a lockbox entry, a break-the-glass grant); area B is built here the
// same way (Zéphyrine Ouest-Exemple's file). One table then says, for each route and each
// actor, the status expected, whether the file's child is named in the answer, and whether a
// refusal left an audit row. Whatever the row, a user of one area never sees the other area's
// child: not in a list, a search by name, a page, an export or an error page.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/referral/store/referral_repo.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
namespace d = domain;

namespace {

// The actors, in the order of the table's columns.
enum Actor : std::size_t {
    sysadmin,   // system administrator (area A's agency)
    ca_admin,   // administrator of area A's coordinating agency
    officer_a,  // privacy officer of area A's coordinating agency
    officer_b,  // privacy officer of area B's coordinating agency
    assigned,   // Léa's assigned coordinator (a provider of area A)
    team,       // on Léa's team (the treatment centre, kept out of her school information)
    other,      // a coordinator of area A with no part in Léa's file
    manager,    // a provider manager of area A with no part in Léa's file
    staff,      // participant staff of area A with no part in Léa's file
    analyst,    // ministry analyst
    b_staff,    // Zéphyrine's assigned coordinator, a provider of area B
    actor_count
};

const std::array<const char*, actor_count> emails = {
    "sysadmin@demo.arrimage.invalid",      "ca.admin@demo.arrimage.invalid",   "privacy@demo.arrimage.invalid",
    "privacy.ouest@demo.arrimage.invalid", "coord1@demo.arrimage.invalid",     "staff.ctc@demo.arrimage.invalid",
    "coord3@demo.arrimage.invalid",        "manager1@demo.arrimage.invalid",   "staff.board2@demo.arrimage.invalid",
    "analyst@demo.arrimage.invalid",       "coord.ouest@demo.arrimage.invalid"};

bool in_area_b(std::size_t a) {
    return a == officer_b || a == b_staff;
}

// What the other area's child looks like in a body: family name and date of birth. (Given
// names are searched for, and the search box echoes the query.)
const char* const lea_name = "Démo-Tremblay";
const char* const lea_birth = "2015-03-07";
const char* const zephyrine_name = "Ouest-Exemple";
const char* const zephyrine_birth = "2014-06-18";
// The child of a self-referral that area A's coordinating agency received ({RA}).
const char* const referred_name = "Essai-Matrice";
// The child of an accepted referral whose intake area A's coordinating agency opened ({IA}).
const char* const intake_name = "Essai-Accueil-Tableau";

// One table row: a request, and per actor (columns in `Actor` order) what answers it. A cell is
// the status, then "n" when the file's child must be named in the body (without "n" the name
// must be absent), then "a" when the request must leave a refusal on record (a new audit row
// with decision deny for that user).
struct Row {
    const char* method;
    const char* path;  // {A} {B}: files; {dA} directive, {lA} lockbox entry, {gA} {gB} grants,
                       // {rA} {rB} requests, {bA} breach, {RA} referral, {IA} intake of referral {RI},
                       // {CA} a complaint from area A's public form, {CM} a conflict area A's provider
                       // manager raised

    const char* form;  // POST body without the CSRF field
    char file;         // 'A', 'B', 'R' (the referral) or 'I' (the intake): whose child the "n" flag is about
    std::array<const char*, actor_count> cells;
};

// clang-format off
//                                                                                          sysadm  ca_adm   offA    offB    assign  team    other   mgr     staff   analyst b_staff
const std::vector<Row>& table() {
    static const std::vector<Row> rows = {
    // Lists and searches
    {"GET",  "/children",                                   "", 'A', {{"403a", "200n",  "200n", "200",  "200n", "200n", "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/children?q=L%C3%A9a",                         "", 'A', {{"403a", "200n",  "200n", "200",  "200n", "200n", "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/children?q=Z%C3%A9phyrine",                   "", 'B', {{"403a", "200",   "200",  "200n", "200",  "200",  "200",  "200",  "200",  "403a", "200n"}}},
    {"GET",  "/children?q=Ouest",                            "", 'B', {{"403a", "200",   "200",  "200n", "200",  "200",  "200",  "200",  "200",  "403a", "200n"}}},
    {"GET",  "/children/new",                                "", 'A', {{"403a", "200",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    // The file summary
    {"GET",  "/children/{A}",                                "", 'A', {{"404a", "200n",  "200n", "404a", "200n", "200n", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}",                                "", 'B', {{"404a", "404a", "404a", "200n", "404a", "404a", "404a", "404a", "404a", "404a", "200n"}}},
    {"GET",  "/children/{A}/family/new",                     "", 'A', {{"404a", "200",   "403a", "404a", "200",  "200",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/family/new",
     "given_name=Oncle&family_name=Demo-Test&relationship=other_caregiver&phone=613-555-0190",
                                                              'A', {{"404a", "303",   "403a", "404a", "303",  "303",  "404a", "404a", "404a", "404a", "404a"}}},
    // Only the agency and the assigned coordinator keep the team (the member chosen does not
    // exist: a permitted request answers 422 and changes nothing).
    {"POST", "/children/{A}/team", "member=999999:1&kind=team_member",
                                                              'A', {{"404a", "422",   "403a", "404a", "422",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    // The consent record
    {"GET",  "/children/{A}/consent",                        "", 'A', {{"404a", "200n",  "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/consent",                        "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200n"}}},
    {"GET",  "/children/{A}/consent/new",                    "", 'A', {{"404a", "200n",  "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/consent/new", "effect=permit",   'A', {{"404a", "422n",  "403a", "404a", "422n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/consent/{dA}/print?lang=fr",     "", 'A', {{"404a", "403a", "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/consent/{dA}/print?lang=en",     "", 'A', {{"404a", "403a", "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/consent/{dB}/print?lang=fr",     "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200n"}}},
    {"GET",  "/children/{A}/consent/summary?lang=fr",        "", 'A', {{"404a", "403a", "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/consent/summary?lang=en",        "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200n"}}},
    {"GET",  "/children/{A}/lockbox",                        "", 'A', {{"404a", "200n",  "403a", "404a", "200n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/lockbox", "category=education",  'A', {{"404a", "422n",  "403a", "404a", "422n", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    // Break-the-glass (the reason is too short: a permitted request answers 422, nothing opened)
    {"POST", "/children/{A}/break-glass", "reason=urgent",   'A', {{"404a", "403a", "403a", "404a", "422",  "422",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{B}/break-glass", "reason=urgent",   'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "422"}}},
    {"GET",  "/privacy/break-glass",                         "", 'A', {{"403a", "403a",  "200n", "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/break-glass",                         "", 'B', {{"403a", "403a",  "200",  "200n", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/break-glass/{gB}/review", "note=Reviewed+by+the+wrong+agency",
                                                              'B', {{"403a", "403a",  "404",  "303",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    // The family's access report
    {"GET",  "/children/{A}/access-report",                  "", 'A', {{"404a", "403a", "200",  "404a", "403a", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/access-report.pdf",              "", 'A', {{"404a", "403a", "200",  "404a", "403a", "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/access-report?lang=fr",          "", 'B', {{"404a", "404a", "404a", "200",  "404a", "404a", "404a", "404a", "404a", "404a", "403a"}}},
    // The privacy office
    {"GET",  "/privacy",                                     "", 'A', {{"403a", "403a",  "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/audit",                               "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/audit?file={B}",                      "", 'B', {{"403a", "403a", "403a", "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/audit/export",                        "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/audit/export?file={B}",               "", 'B', {{"403a", "403a", "403a", "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/anomalies",                           "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/requests",                            "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/requests/new",                        "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/requests/new",
     "person_id={B}&requester=parent&kind=access&received_on={today}&description=Copie+du+dossier",
                                                              'B', {{"403a", "403a", "422",  "303",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/requests/{rA}",                       "", 'A', {{"403a", "403a", "200",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/requests/{rB}",                       "", 'B', {{"403a", "403a", "404",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/requests/{rB}/extend", "days=10&reason=Consultation+needed",
                                                              'B', {{"403a", "403a", "404",  "303",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/breaches",                            "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/breaches/{bA}",                       "", 'A', {{"403a", "403a", "200",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/privacy/breaches/new",                        "", 'A', {{"403a", "403a", "200",  "200",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/breaches/{bA}",
     "discovered_on={today}&description=Lettre+envoy%C3%A9e+%C3%A0+la+mauvaise+adresse&files_affected=1&containment=Lettre+r%C3%A9cup%C3%A9r%C3%A9e&status=open",
                                                              'A', {{"403a", "403a", "303",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/breaches/{bA}/deactivate", "",        'A', {{"403a", "403a", "303",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/breaches/{bA}/reactivate", "",        'A', {{"403a", "403a", "303",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    // Registration: only the coordinating agency's staff (the new child is nobody's above).
    {"POST", "/children/new",
     "given_name=Octave&family_name=Demo-Nouveau&date_of_birth=2013-02-02&official_language=en&capable_of_consent=no"
     "&contact_given_name=Parent&contact_family_name=Demo-Nouveau&contact_relationship=parent&contact_phone=613-555-0188",
                                                              'A', {{"403a", "303",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/breaches/new",
     "discovered_on={today}&description=Courriel+mal+adress%C3%A9&files_affected=1&containment=Courriel+rappel%C3%A9&status=open",
                                                              'A', {{"403a", "403a", "303",  "303",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/privacy/requests/{rA}/close", "result=completed&closed_on={today}&outcome=Copie+remise",
                                                              'A', {{"403a", "403a", "303",  "404",  "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    // Referrals: the receiving organisation works them (participant staff excepted); the
    // privacy officer of the receiving agency may look, not change; everyone else learns nothing.
    {"GET",  "/referrals",                                   "", 'R', {{"403a", "200n",  "200n", "200",  "200",  "403a", "200",  "200",  "403a", "403a", "200"}}},
    {"GET",  "/referrals?status=received",                   "", 'R', {{"403a", "200n",  "200n", "200",  "200",  "403a", "200",  "200",  "403a", "403a", "200"}}},
    {"GET",  "/referrals/{RA}",                              "", 'R', {{"403a", "200n",  "200n", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"GET",  "/referrals/sent",                              "", 'R', {{"403a", "200",   "200",  "200",  "200",  "200",  "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/referrals/{RA}/access-log",                   "", 'R', {{"403a", "403a", "200",  "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // Linking a referral to a known child's file: those who may register files (as /children/new), an
    // accepted referral without a file (409 here: not accepted yet).
    {"POST", "/referrals/{RA}/link-file", "person_id={A}",  'R', {{"403a", "409",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/referrals/{RA}/accept", "note=",              'R', {{"403a", "303",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RA}/decline", "reason=family_declined",
                                                              'R', {{"403a", "303",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // Declined just above: the lifecycle table has no move from there (409, nothing changed).
    {"POST", "/referrals/{RA}/complete", "note=",            'R', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RA}/receive", "note=",             'R', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RA}/start", "note=",               'R', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RA}/cancel", "note=Moved",         'R', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RA}/waitlist", "expected_date=",   'R', {{"403a", "422n",  "422n", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // A child's referrals, in and out: the file's people and its agency's privacy officer (the
    // page does not name the child); a referral sent without a service is refused before
    // anything is written (only the coordinator and team are offered the form, and may send).
    {"GET",  "/children/{A}/referrals",                      "", 'A', {{"403a", "200",   "200",  "404a", "200",  "200",  "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/children/{A}/referrals", "service_id=&needs=",
                                                              'A', {{"403a", "422",   "422",  "404a", "422",  "422",  "404a", "404a", "404a", "403a", "404a"}}},
    // Intake: the agency that accepted the referral runs it (its privacy officer may list, not
    // read the story); everyone else learns nothing. Forms refused before anything is written.
    {"GET",  "/intake",                                      "", 'I', {{"403a", "200n",  "200n", "200",  "200",  "403a", "200",  "200",  "403a", "403a", "200"}}},
    {"GET",  "/intake/{IA}",                                 "", 'I', {{"403a", "200n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // The letter to a family found not eligible: none for an intake still in intake (409, no name shown).
    {"GET",  "/intake/{IA}/letter",                          "", 'I', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"GET",  "/intake/{IA}/letter.pdf",                      "", 'I', {{"403a", "409",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/intake/{IA}/story", "story=",                 'I', {{"403a", "422n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/intake/{IA}/decision", "decision=eligible&reason=",
                                                              'I', {{"403a", "422n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // Sent without the version shown: stale (409), nothing changed.
    {"POST", "/intake/{IA}/reopen", "note=",                 'I', {{"403a", "409n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/referrals/{RI}/intake", "",                   'I', {{"403a", "303",   "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // The file's way after eligibility: refused before anything is written (a form without its
    // version is stale, 409; a form missing its fields, 422).
    {"POST", "/intake/{IA}/waitlist", "note=",               'I', {{"403a", "409n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/intake/{IA}/assign", "coordinator=",          'I', {{"403a", "422n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/intake/{IA}/close", "reason=",                'I', {{"403a", "422n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/intake/{IA}/first-contact", "",               'I', {{"403a", "409n",  "403a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // A coordinator's caseload: their own assigned files only (none of these is assigned through an intake).
    {"GET",  "/caseload",                                    "", 'I', {{"403a", "200",   "200",  "200",  "200",  "200",  "200",  "200",  "200",  "403a", "200"}}},
    // The plan: its keeper (the assigned coordinator) starts it and moves its status; the file's team reads
    // and writes its content on the family's consent; the agency only where the consent names it; the
    // privacy officer never. The page does not name the child.
    {"GET",  "/children/{A}/plan",                           "", 'A', {{"404a", "403a", "403a", "404a", "200",  "200",  "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/plan",                           "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200"}}},
    // Its print, PDF and two versions side by side: the same read (no plan yet on A: 404).
    {"GET",  "/children/{A}/plan/print",                     "", 'A', {{"404a", "403a", "403a", "404a", "404",  "404",  "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/plan.pdf",                       "", 'A', {{"404a", "403a", "403a", "404a", "404",  "404",  "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/plan/versions",                  "", 'A', {{"404a", "403a", "403a", "404a", "404",  "404",  "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/plan/print",                     "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "404"}}},
    {"POST", "/children/{A}/plan/goals", "text=&expressed_by=family",
                                                              'A', {{"404a", "403a", "403a", "404a", "422",  "422",  "404a", "404a", "404a", "404a", "404a"}}},
    // No plan yet: nothing to move (409); only the keeper may try.
    {"POST", "/children/{A}/plan/status", "event=activate",  'A', {{"404a", "403a", "403a", "404a", "409",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/sections", "about=",        'A', {{"404a", "403a", "403a", "404a", "409",  "409",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/goals/999999", "progress=in_progress&priority=1",
                                                              'A', {{"404a", "403a", "403a", "404a", "409",  "409",  "404a", "404a", "404a", "404a", "404a"}}},
    // The plan's work: actions, progress on one, services, meetings (the team's, on consent) and the
    // family's agreement (the keeper's). Bad input is a field error; with no plan yet, nothing to change.
    {"POST", "/children/{A}/plan/actions", "text=&owner=",   'A', {{"404a", "403a", "403a", "404a", "422",  "422",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/actions/999999", "note=x",  'A', {{"404a", "403a", "403a", "404a", "409",  "409",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/services", "referral=999999",
                                                              'A', {{"404a", "403a", "403a", "404a", "409",  "409",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/meetings", "held_on=&attendees=",
                                                              'A', {{"404a", "403a", "403a", "404a", "422",  "422",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/reviews", "held_on=&next_steps=",
                                                              'A', {{"404a", "403a", "403a", "404a", "422",  "422",  "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/reviews", "held_on=2020-01-01&next_steps=x",
                                                              'A', {{"404a", "403a", "403a", "404a", "409",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan/agreements", "family_member=1&method=phone&agreed_on=2020-01-01&version=1",
                                                              'A', {{"404a", "403a", "403a", "404a", "409",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    // Family access (features/family): the file's assigned coordinator or its agency, on the family's
    // consent for identity and contact, keeps it; everyone else is refused on record. The family-only
    // pages are not found for staff.
    {"GET",  "/children/{A}/family",                         "", 'A', {{"404a", "403a", "403a", "404a", "200",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/family",                         "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200"}}},
    {"POST", "/children/{A}/family/invitations", "delivery=print",
                                                              'A', {{"404a", "403a", "403a", "404a", "422",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/family/invitations/999999/cancel", "",
                                                              'A', {{"404a", "403a", "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/family/access/999999/authority", "authority=no",
                                                              'A', {{"404a", "403a", "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/family/access/999999/end", "",   'A', {{"404a", "403a", "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/family",                                      "", 'A', {{"404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404"}}},
    {"GET",  "/family/children/{A}",                         "", 'A', {{"404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404"}}},
    {"GET",  "/family/children/{A}/access",                  "", 'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/family/children/{A}/access.pdf",              "", 'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/sign", "version=1&decision=agreed",
                                                              'A', {{"404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404"}}},
    {"POST", "/family/children/{A}/notes", "goal=&note=Une+note",
                                                              'A', {{"404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404",  "404"}}},
    // What the family raises (features/family): its own pages are not found for staff, on record; the
    // file's concerns are its assigned coordinator's and its agency's (identity and contact, the
    // agency without consent as for the file itself); a concern that does not exist is not found.
    {"GET",  "/family/children/{A}/requests",                "", 'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/requests", "kind=concern&addressed_to=coordinator&description=x",
                                                              'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    // The family's own consent and a capable youth's choices of what each family member sees
    // (features/family): the family's pages, not found for staff, on record, nothing changed.
    {"GET",  "/family/children/{A}/consent",                 "", 'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/family/children/{B}/consent",                 "", 'B', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/consent/{dA}/withdraw", "",
                                                              'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/consent/{dA}/narrow", "categories=plan&organisations=1",
                                                              'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/lockbox", "organisation_id=1&category=health&reason=",
                                                              'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/family/children/{A}/sharing",                 "", 'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/family/children/{A}/sharing/999999", "categories=plan",
                                                              'A', {{"404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{A}/concerns",                       "", 'A', {{"404a", "200",   "403a", "404a", "200",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"GET",  "/children/{B}/concerns",                       "", 'B', {{"404a", "404a", "404a", "403a", "404a", "404a", "404a", "404a", "404a", "404a", "200"}}},
    {"POST", "/children/{A}/concerns/999999/acknowledge", "response=",
                                                              'A', {{"404a", "404",   "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/concerns/999999/close", "response=Vu",
                                                              'A', {{"404a", "404",   "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    // The complaints register (features/complaints): the complainant's name and contact details.
    // Every role with a register has its own (the agency's administrator the area's), the
    // system administrator and the ministry's analyst none (refused on record); a complaint from
    // the public form is the agency's only: anyone else does not find it, on record. The forms
    // below are refused before anything is written (no note, no owner, no move from received).
    {"GET",  "/complaints",                                  "", 'A', {{"403a", "200",   "200",  "200",  "200",  "200",  "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/complaints?status=open&overdue=1",            "", 'A', {{"403a", "200",   "200",  "200",  "200",  "200",  "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/complaints/new",                              "", 'A', {{"403a", "200",   "200",  "200",  "200",  "200",  "200",  "200",  "200",  "403a", "200"}}},
    {"GET",  "/complaints/export.csv",                       "", 'A', {{"403a", "200",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/complaints/settings",                         "", 'A', {{"403a", "200",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"POST", "/complaints/settings", "acknowledge_days=0&resolve_days=30&appeal_days=30",
                                                              'A', {{"403a", "422",   "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a", "403a"}}},
    {"GET",  "/complaints/{CA}",                             "", 'A', {{"403a", "200",   "404a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/complaints/{CA}/step", "note=",               'A', {{"403a", "422",   "404a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/complaints/{CA}/owner", "owner=",             'A', {{"403a", "422",   "404a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/complaints/{CA}/triage", "category=quality&severity=&owner=",
                                                              'A', {{"403a", "422",   "404a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    {"POST", "/complaints/{CA}/resolve", "note=Resolved",    'A', {{"403a", "409",   "404a", "404a", "404a", "404a", "404a", "404a", "404a", "403a", "404a"}}},
    // What a provider's manager raised: theirs and the agency's (withdrawn without its required
    // reason: refused before anything is written), nobody else's.
    {"GET",  "/complaints/{CM}",                             "", 'A', {{"403a", "200",   "404a", "404a", "404a", "404a", "404a", "200",  "404a", "403a", "404a"}}},
    {"POST", "/complaints/{CM}/withdraw", "note=",           'A', {{"403a", "422",   "404a", "404a", "404a", "404a", "404a", "422",  "404a", "403a", "404a"}}},
    // The FHIR API's clients (features/fhir): organisations' systems, never a child; the
    // administrators only (those who administer nothing are refused, as on every administration
    // page); a client that is not one is not found; an empty form changes nothing.
    {"GET",  "/admin/api-clients",                           "", 'A', {{"200",  "200",   "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403"}}},
    {"GET",  "/admin/api-clients/new",                       "", 'A', {{"200",  "200",   "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403"}}},
    {"POST", "/admin/api-clients", "organisation_id=&name=&role=",
                                                              'A', {{"422",  "422",   "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403"}}},
    {"GET",  "/admin/api-clients/999999",                    "", 'A', {{"404",  "404",   "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403"}}},
    {"POST", "/admin/api-clients/999999/revoke", "",         'A', {{"404",  "404",   "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403",  "403"}}},
    // Changes that succeed come last: they change what the rows above would see. The agency
    // revokes or withdraws first, so the assigned coordinator then finds nothing left to change.
    // The keeper starts the plan (before the consent is withdrawn below); a second one is refused.
    {"POST", "/children/{A}/plan", "",                       'A', {{"404a", "403a", "403a", "404a", "303",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/plan", "",                       'A', {{"404a", "403a", "403a", "404a", "409",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/lockbox/{lA}/revoke", "",        'A', {{"404a", "303",   "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    {"POST", "/children/{A}/consent/{dA}/withdraw", "",      'A', {{"404a", "303",   "403a", "404a", "404",  "403a", "404a", "404a", "404a", "404a", "404a"}}},
    // Raising a complaint: every role that has a register (each in its own area), not the
    // system administrator nor the ministry's analyst (refused on record).
    {"POST", "/complaints", "kind=complaint&category=quality&description=Essai+du+tableau",
                                                              'A', {{"403a", "303",   "303",  "303",  "303",  "303",  "303",  "303",  "303",  "403a", "303"}}},
    };
    return rows;
}
// clang-format on

struct Cell {
    int status = 0;
    bool named = false;
    bool audited = false;
};

Cell parse_cell(const std::string& s) {
    Cell c;
    c.status = std::stoi(s.substr(0, 3));
    c.named = s.find('n', 3) != std::string::npos;
    c.audited = s.find('a', 3) != std::string::npos;
    return c;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

}  // namespace

class AuthzMatrix : public testsupport::DemoServerTest {
  protected:
    void seed() override { build_area_b(); }
    void SetUp() override {
        DemoServerTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        file_a_ = scalar("SELECT id FROM people WHERE given_name = ?", {std::string("Léa")});
        file_b_ = scalar("SELECT id FROM people WHERE given_name = ?", {std::string("Zéphyrine")});
        open_grant("staff.ctc@demo.arrimage.invalid", file_a_);
        open_grant("staff.ouest@demo.arrimage.invalid", file_b_);
        // Each office has a request and area A a breach.
        ids_["{rA}"] = office_record(emails[officer_a], "/privacy/requests/new",
                                     "person_id=" + std::to_string(file_a_) +
                                         "&requester=parent&kind=access&received_on=" + today() + "&description=Copie+du+dossier",
                                     "privacy_requests");
        ids_["{rB}"] =
            office_record(emails[officer_b], "/privacy/requests/new",
                          "person_id=" + std::to_string(file_b_) + "&requester=parent&kind=correction&received_on=" + today() +
                              "&description=Corriger+l%27adresse",
                          "privacy_requests");
        ids_["{RA}"] = std::to_string(self_referral());
        ids_["{CA}"] = std::to_string(public_complaint());
        ids_["{CM}"] = std::to_string(
            raised_by(emails[manager], "kind=conflict&category=coordination&description=Deux+plans+se+contredisent"));
        open_intake();
        ids_["{bA}"] = office_record(emails[officer_a], "/privacy/breaches/new",
                                     "discovered_on=" + today() +
                                         "&description=Lettre+envoy%C3%A9e+%C3%A0+la+mauvaise+adresse&files_affected=1"
                                         "&containment=Lettre+r%C3%A9cup%C3%A9r%C3%A9e&status=open",
                                     "privacy_breaches");
    }
    // Area B: its own service delivery area, coordinating agency, provider and school board,
    // staff in every role the table needs, and one file with a team, consent and a lockbox entry.
    void build_area_b() {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        store::AuthRepo auth(*tx, clock_);
        auto check = [](const auto& r) {
            if (!r) throw std::runtime_error("area B rejected: " + r.error().message_key);
            return *r;
        };
        const auto sda = check(repo.create_sda({"demo-ouest", "Zone de démonstration Ouest", "Demo West Region"}, 0));
        auto org = [&](const char* fr, const char* en, d::CspRole role) {
            d::Organisation o;
            o.sda_id = sda;
            o.name_fr = fr;
            o.name_en = en;
            o.csp_roles = {role};
            return check(repo.create_organisation(o, 0));
        };
        const auto agency =
            org("Agence de coordination Ouest-Démo", "Demo West Coordinating Agency", d::CspRole::coordinating_agency);
        const auto provider = org("Services Ouest-Fictif", "Fictional West Services", d::CspRole::csp_provider);
        const auto board = org("Conseil scolaire Ouest-Démo", "Demo West School Board", d::CspRole::csp_participant);
        const std::string hash = hash_password(app::demo_password, PasswordHashCost::minimum());
        std::map<std::string, std::int64_t> users;
        auto user = [&](const char* email, const char* name, std::int64_t org_id, d::Role role) {
            const auto id = check(repo.create_user({email, name, Lang::fr}, 0));
            check(repo.add_membership(id, {org_id, role}, 0));
            auth.set_password_hash(id, hash);
            users[email] = id;
            return id;
        };
        const auto intake = user("intake.ouest@demo.arrimage.invalid", "Gaël Accueil-Ouest", agency, d::Role::coordinator);
        user("privacy.ouest@demo.arrimage.invalid", "Ode Vieprivée-Ouest", agency, d::Role::privacy_officer);
        const auto coord = user("coord.ouest@demo.arrimage.invalid", "Bo Coordination-Ouest", provider, d::Role::coordinator);
        const auto teacher = user("staff.ouest@demo.arrimage.invalid", "Ily École-Ouest", board, d::Role::participant_staff);

        store::PersonRepo people(
            arrimage::testsupport::AccessForTests::as(*tx, clock_, d::Actor{intake, agency, d::Role::coordinator}, "area-b"));
        store::Registration r;
        r.person.given_name = "Zéphyrine";
        r.person.family_name = zephyrine_name;
        r.person.date_of_birth = *parse_date(zephyrine_birth);
        r.person.official_language = Lang::fr;
        r.person.school = "École Ouest-des-Saules";
        d::FamilyMember m;
        m.given_name = "Hélène";
        m.family_name = zephyrine_name;
        m.relationship = d::FamilyRelationship::parent;
        m.is_substitute_decision_maker = true;
        m.phone = "+1 613-555-0299";
        r.family.push_back(m);
        const auto id = check(people.register_person(r)).person_id;
        check(people.add_to_team(id, coord, provider, d::TeamKind::assigned_coordinator));
        check(people.add_to_team(id, teacher, board, d::TeamKind::team_member));
        d::ConsentDirective consent;
        consent.organisations = {provider, board};
        std::sort(consent.organisations.begin(), consent.organisations.end());
        for (auto c : d::consentable_categories()) consent.categories.insert(c);
        consent.purposes = {d::Purpose::coordination, d::Purpose::referral};
        consent.given_by = d::GivenBy::substitute_decision_maker;
        consent.given_by_name = std::string("Hélène ") + zephyrine_name;
        consent.method = d::ConsentMethod::written;
        consent.given_at = clock_.now() - std::chrono::hours(24 * 10);
        consent.expires_at = clock_.now() + std::chrono::hours(24 * 365);
        ids_["{dB}"] = std::to_string(check(people.record_directive(id, consent)));
        d::LockboxEntry l;
        l.organisation_id = board;
        l.category = d::Category::health;
        l.requested_by = d::GivenBy::substitute_decision_maker;
        check(people.add_lockbox(id, l));
        tx->commit();
    }

    // A family's referral along area A's developmental pathway (to its coordinating agency).
    std::int64_t self_referral(const char* family_name = referred_name) {
        d::Referral r;
        r.pathway_id = scalar(
            "SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id "
            "WHERE t.code = 'developmental'");
        auto tx = t_->db->begin(store::TxMode::write);
        r.given_name = "Inès";
        r.family_name = family_name;
        r.date_of_birth = Date{2017, 9, 9};
        r.contact.given_name = "Parent";
        r.contact.family_name = family_name;
        r.contact.phone = "+1 613-555-0166";
        r.needs = "Besoins multiples.";
        auto made =
            store::ReferralRepo(arrimage::testsupport::AccessForTests::anonymous(*tx, clock_, "referral")).submit(r, {}, 99);
        EXPECT_TRUE(made);
        tx->commit();
        return made ? made->id : 0;
    }

    // A complaint from the public form about area A (no one's but its agency's).
    std::int64_t public_complaint() {
        d::ComplaintForm f;
        f.area = std::to_string(scalar("SELECT sda_id FROM organisations WHERE name_en = 'Demo Coordinating Agency'"));
        auto tx = t_->db->begin(store::TxMode::write);
        f.kind = "complaint";
        f.category = "wait_times";
        f.name = "Parent Essai-Plainte";
        f.email = "parent.plainte@example.org";
        f.description = "Aucune nouvelle depuis trois mois.";
        auto made = store::ComplaintRepo(arrimage::testsupport::AccessForTests::anonymous(*tx, clock_, "complaint"),
                                         {app_->catalogue(), "http://127.0.0.1", false})
                        .raise(f, "fr");
        EXPECT_TRUE(made) << (made ? "" : made.error().message_key);
        tx->commit();
        return made ? made->id : 0;
    }

    // A complaint raised through the form by a signed-in actor: its id.
    std::int64_t raised_by(const std::string& email, const std::string& form) {
        auto c = signed_in(email);
        const auto r = c.submit("/complaints/new", "/complaints", form);
        EXPECT_EQ(r.status, 303) << email << " " << r.body.substr(0, 2000);
        const std::string page = r.header("location");
        return page.rfind("/complaints/", 0) == 0 ? std::stoll(page.substr(12)) : 0;
    }

    // A second family's referral, accepted by area A's agency, and its intake opened.
    void open_intake() {
        const auto referral = self_referral(intake_name);
        auto tx = t_->db->begin(store::TxMode::write);
        auto u =
            tx->query_one("SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = ?",
                          {std::string(emails[ca_admin])});
        const d::Actor admin{u->i64(0), u->i64(1), d::Role::ca_admin};
        ASSERT_TRUE(
            store::ReferralRepo(arrimage::testsupport::AccessForTests::as(*tx, clock_, admin, "intake")).accept(referral, ""));
        auto intake = store::IntakeRepo(arrimage::testsupport::AccessForTests::as(*tx, clock_, admin, "intake")).open(referral);
        ASSERT_TRUE(intake);
        tx->commit();
        ids_["{RI}"] = std::to_string(referral);
        ids_["{IA}"] = std::to_string(*intake);
    }

    void open_grant(const std::string& email, std::int64_t file) {
        auto tx = t_->db->begin(store::TxMode::write);
        auto u = tx->query_one(
            "SELECT u.id, m.organisation_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id "
            "WHERE u.email = ?",
            {email});
        store::PersonRepo people(arrimage::testsupport::AccessForTests::as(
            *tx, clock_, d::Actor{u->i64(0), u->i64(1), *d::parse_role(u->str(2))}, "grant"));
        auto g = people.open_break_glass(file, "Risque urgent signalé par l'école", d::BreakGlassPolicy{});
        ASSERT_TRUE(g);
        tx->commit();
    }

    std::string office_record(const std::string& email, const std::string& page, const std::string& form,
                              const std::string& table_name) {
        auto c = signed_in(email);
        auto r = c.submit(page, page, form);
        EXPECT_EQ(r.status, 303) << page << " " << r.body.substr(0, 2000);
        return std::to_string(scalar("SELECT MAX(id) FROM " + table_name));
    }

    std::string today() const { return format_iso(clock_.now()).substr(0, 10); }

    Client signed_in(const std::string& email) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    std::string expand(std::string s) {
        replace_all(s, "{A}", std::to_string(file_a_));
        replace_all(s, "{B}", std::to_string(file_b_));
        replace_all(s, "{today}", today());
        for (const auto& [k, v] : ids_) replace_all(s, k, v);
        return s;
    }

    std::int64_t file_a_ = 0, file_b_ = 0;
    std::map<std::string, std::string> ids_;
};

TEST_F(AuthzMatrix, EveryRouteAnswersEachActorAsTabled) {
    ids_["{dA}"] = std::to_string(scalar("SELECT MIN(id) FROM consent_directives WHERE person_id = ?", {file_a_}));
    ids_["{lA}"] = std::to_string(scalar("SELECT MIN(id) FROM lockbox_entries WHERE person_id = ?", {file_a_}));
    ids_["{gA}"] = std::to_string(scalar("SELECT MIN(id) FROM break_glass_grants WHERE person_id = ?", {file_a_}));
    ids_["{gB}"] = std::to_string(scalar("SELECT MIN(id) FROM break_glass_grants WHERE person_id = ?", {file_b_}));

    std::vector<Client> clients;
    std::vector<std::string> csrf;
    std::vector<std::int64_t> user_ids;
    for (std::size_t a = 0; a < actor_count; ++a) {
        clients.push_back(signed_in(emails[a]));
        csrf.push_back(Client::csrf(clients.back().get("/").body));
        user_ids.push_back(scalar("SELECT id FROM users WHERE email = ?", {std::string(emails[a])}));
        ASSERT_GT(user_ids.back(), 0) << emails[a];
    }
    for (const auto& row : table()) {
        const std::string path = expand(row.path);
        const char* name = row.file == 'A'   ? lea_name
                           : row.file == 'R' ? referred_name
                           : row.file == 'I' ? intake_name
                                             : zephyrine_name;
        for (std::size_t a = 0; a < actor_count; ++a) {
            const auto cell = parse_cell(row.cells[a]);
            const std::string where = std::string(row.method) + " " + path + " as " + emails[a];
            const auto denials_before =
                scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND decision = 'deny'", {user_ids[a]});
            auto& c = clients[a];
            const Reply r = std::string(row.method) == "GET"
                                ? c.get(path)
                                : c.post(path, "_csrf=" + csrf[a] + (*row.form ? "&" + expand(row.form) : ""));
            EXPECT_EQ(r.status, cell.status) << where;
            EXPECT_EQ(r.has(name), cell.named) << where << (cell.named ? ": the child is not named" : ": the child is named");
            // Never the other area's child, whatever the answer.
            const bool b = in_area_b(a);
            EXPECT_FALSE(r.has(b ? lea_name : zephyrine_name)) << where;
            EXPECT_FALSE(r.has(b ? lea_birth : zephyrine_birth)) << where;
            const auto denials_after =
                scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND decision = 'deny'", {user_ids[a]});
            if (cell.audited) {
                EXPECT_GT(denials_after, denials_before) << where << ": the refusal is not on record";
            }
        }
    }
}

// A family account (the demo's: Noah Demo-Smith's grandmother, a family account of area A) on
// every route of the table: never another family's child, in any route, list, search or error;
// a route that names a file, a referral or an intake is refused (403 or 404), never shown.
TEST_F(AuthzMatrix, AFamilyAccountNeverReachesAnotherFamilysFile) {
    ids_["{dA}"] = std::to_string(scalar("SELECT MIN(id) FROM consent_directives WHERE person_id = ?", {file_a_}));
    ids_["{lA}"] = std::to_string(scalar("SELECT MIN(id) FROM lockbox_entries WHERE person_id = ?", {file_a_}));
    ids_["{gA}"] = std::to_string(scalar("SELECT MIN(id) FROM break_glass_grants WHERE person_id = ?", {file_a_}));
    ids_["{gB}"] = std::to_string(scalar("SELECT MIN(id) FROM break_glass_grants WHERE person_id = ?", {file_b_}));
    Client c = signed_in(app::demo_family_login);
    const auto home = c.get("/");
    ASSERT_EQ(home.status, 303) << "a family account's home is /family";
    const std::string csrf = Client::csrf(c.get("/family").body);
    ASSERT_FALSE(csrf.empty());
    std::size_t refused = 0;
    for (const auto& row : table()) {
        const std::string path = expand(row.path);
        const std::string where = std::string(row.method) + " " + path + " as a family account";
        const Reply r = std::string(row.method) == "GET"
                            ? c.get(path)
                            : c.post(path, "_csrf=" + csrf + (*row.form ? "&" + expand(row.form) : ""));
        for (const char* name : {lea_name, zephyrine_name, referred_name, intake_name, lea_birth, zephyrine_birth})
            EXPECT_FALSE(r.has(name)) << where << " shows " << name;
        const std::string raw(row.path);
        const bool names_a_record = raw.find("{A}") != std::string::npos || raw.find("{B}") != std::string::npos ||
                                    raw.find("{RA}") != std::string::npos || raw.find("{IA}") != std::string::npos ||
                                    raw.find("{RI}") != std::string::npos;
        if (names_a_record) {
            EXPECT_TRUE(r.status == 403 || r.status == 404) << where << ": " << r.status;
            ++refused;
        } else {
            EXPECT_TRUE(r.status == 200 || r.status == 303 || r.status == 403 || r.status == 404) << where << ": " << r.status;
        }
    }
    EXPECT_GT(refused, 50u);
    // Nothing of another family's consent changed through the family's pages.
    const auto user = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    for (auto file : {file_a_, file_b_})
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives WHERE person_id = ? AND withdrawn_at IS NOT NULL", {file}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE created_by = ?", {user}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_withholdings"), 0);
    // Its own family's file: the plan and the consent it may read (Noah is not capable of
    // deciding: there are no choices of his to make); Léa's and Zéphyrine's as if they did not exist.
    const auto noah = scalar("SELECT id FROM people WHERE given_name = 'Noah'");
    EXPECT_EQ(c.get("/family/children/" + std::to_string(noah)).status, 200);
    EXPECT_EQ(c.get("/family/children/" + std::to_string(noah) + "/consent").status, 200);
    EXPECT_EQ(c.get("/family/children/" + std::to_string(noah) + "/sharing").status, 403);
    for (auto file : {file_a_, file_b_}) {
        const auto before =
            scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'", {user, file});
        const auto r = c.get("/family/children/" + std::to_string(file));
        EXPECT_EQ(r.status, 404);
        EXPECT_FALSE(r.has(lea_name) || r.has(zephyrine_name));
        EXPECT_GT(
            scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'", {user, file}),
            before)
            << "the refusal is not on record";
    }
}

// Registering a child another agency already holds tells nothing about that file: no link, no
// count, the same answer as for a child nobody knows (the comparison is audited on the file).
TEST_F(AuthzMatrix, DuplicateDetectionDoesNotRevealAnotherAgencysChild) {
    auto c = signed_in(emails[ca_admin]);
    const auto denials =
        scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'search' AND decision = 'deny'", {file_b_});
    auto r = c.submit(
        "/children/new", "/children/new",
        "given_name=" + enc("Zéphyrine") + "&family_name=" + enc(zephyrine_name) + "&date_of_birth=" + zephyrine_birth +
            "&official_language=fr&capable_of_consent=no&contact_given_name=Parent&contact_family_name=" + enc("Demo-Test") +
            "&contact_relationship=parent&contact_phone=" + enc("613-555-0177"));
    EXPECT_EQ(r.status, 303);
    EXPECT_FALSE(r.has("may already have a file"));
    EXPECT_FALSE(r.has("may not see"));
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'search' AND decision = 'deny'", {file_b_}),
        denials + 1);
    // Within the agency, a second registration of the same child is caught.
    r = c.submit("/children/new", "/children/new",
                 "given_name=" + enc("Zéphyrine") + "&family_name=" + enc(zephyrine_name) + "&date_of_birth=" + zephyrine_birth +
                     "&official_language=fr&capable_of_consent=no&contact_given_name=Parent&contact_family_name=" +
                     enc("Demo-Test") + "&contact_relationship=parent&contact_phone=" + enc("613-555-0177"));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("may already have a file"));
}

// A name search is audited as a search, and the privacy officer's action filter finds it.
TEST_F(AuthzMatrix, TheOfficerFindsNameSearches) {
    auto c = signed_in(emails[ca_admin]);
    ASSERT_EQ(c.get("/children?q=L%C3%A9a").status, 200);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'search' AND decision = 'permit'", {file_a_}),
        1);
    auto o = signed_in(emails[officer_a]);
    auto r = o.get("/privacy/audit?action=search&file=" + std::to_string(file_a_));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Claude Admin-Démo"));
    r = o.get("/privacy/audit?action=list&file=" + std::to_string(file_a_) + "&user=" + enc(emails[ca_admin]));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("Claude Admin-Démo"));
}

// The table covers every signed-in route about a child's, a family's or a referral's personal
// information; every other signed-in route is named here with why it is outside it. A route
// added without either fails this test: the matrix cannot silently miss one.
TEST_F(AuthzMatrix, EverySignedInRouteIsTabledOrNamedAsOutsidePersonalInformation) {
    std::set<std::string> tabled;
    for (const auto& row : table()) {
        std::string path = row.path;
        path = path.substr(0, path.find('?'));
        for (auto open = path.find('{'); open != std::string::npos; open = path.find('{'))
            path.replace(open, path.find('}', open) - open + 1, "1");
        std::map<std::string, std::string> params;
        const auto m = app_->router().match(row.method, path, params);
        ASSERT_NE(m.route, nullptr) << row.method << " " << row.path << " is not a route";
        tabled.insert(std::string(row.method) + " " + m.route->pattern);
    }
    // Signed-in routes that hold no child's, family's or referral's personal information, by kind.
    const std::set<std::string> outside = {
        // The user's own account and sign-in steps.
        "GET /account",
        "POST /account/profile",
        "POST /account/password",
        "GET /account/mfa",
        "POST /account/mfa",
        "POST /account/mfa/disable",
        "GET /login/mfa",
        "POST /login/mfa",
        "POST /logout",
        "POST /session/membership",  // which of the user's own memberships they act under
        // Administration of areas, organisations, staff and the outbox (security review rule 1,
        // tested by Security.UserAdministration...).
        "GET /admin",
        "GET /admin/sdas",
        "GET /admin/sdas/new",
        "POST /admin/sdas/new",
        "GET /admin/sdas/{id}/edit",
        "POST /admin/sdas/{id}/edit",
        "POST /admin/sdas/{id}/deactivate",
        "POST /admin/sdas/{id}/reactivate",
        "GET /admin/organisations",
        "GET /admin/organisations/new",
        "POST /admin/organisations/new",
        "GET /admin/organisations/{id}",
        "GET /admin/organisations/{id}/edit",
        "POST /admin/organisations/{id}/edit",
        "POST /admin/organisations/{id}/deactivate",
        "POST /admin/organisations/{id}/reactivate",
        "GET /admin/organisations/{id}/sites/new",
        "POST /admin/organisations/{id}/sites/new",
        "GET /admin/sites/{id}/edit",
        "POST /admin/sites/{id}/edit",
        "POST /admin/sites/{id}/deactivate",
        "POST /admin/sites/{id}/reactivate",
        "GET /admin/users",
        "GET /admin/users/new",
        "POST /admin/users/new",
        "GET /admin/users/{id}",
        "GET /admin/users/{id}/edit",
        "POST /admin/users/{id}/edit",
        "POST /admin/users/{id}/memberships",
        "POST /admin/users/{id}/invite",
        "POST /admin/users/{id}/deactivate",
        "POST /admin/users/{id}/reactivate",
        "POST /admin/memberships/{id}/deactivate",
        "POST /admin/memberships/{id}/reactivate",
        "GET /admin/outbox",
        // The FHIR API's clients: organisations' systems and their credentials, never a child
        // (tests/http/test_api_clients_http.cpp checks who may see and do what).
        "GET /admin/api-clients",
        "GET /admin/api-clients/new",
        "POST /admin/api-clients",
        "GET /admin/api-clients/{id}",
        "GET /admin/api-clients/{id}/secret",
        "POST /admin/api-clients/{id}/secret",
        "GET /admin/api-clients/{id}/revoke",
        "POST /admin/api-clients/{id}/revoke",
        // The FHIR R4 API and its token endpoint (features/fhir): machine routes (Access::open,
        // Access::bearer) that read no cookie, so no signed-in user reaches them through a session.
        // A call is an API client's, acting through its service account's membership: the
        // kernel's guard decides and audits each access as for a person of its organisation
        // (tests/http/test_fhir_http.cpp checks who may see what). Writes answer 405.
        "POST /oauth/token",
        "GET /.well-known/smart-configuration",
        "GET /fhir/.well-known/smart-configuration",
        "GET /fhir/metadata",
        "GET /fhir/{type}",
        "POST /fhir/{type}/_search",
        "GET /fhir/{type}/{id}",
        "POST /fhir",
        "PUT /fhir",
        "PATCH /fhir",
        "DELETE /fhir",
        "POST /fhir/{type}",
        "PUT /fhir/{type}",
        "PATCH /fhir/{type}",
        "DELETE /fhir/{type}",
        "POST /fhir/{type}/{id}",
        "PUT /fhir/{type}/{id}",
        "PATCH /fhir/{type}/{id}",
        "DELETE /fhir/{type}/{id}",
        // The area's intake rules (configuration set by the agency's administrator).
        "GET /intake/rules",
        "POST /intake/rules",
        "POST /intake/rules/criteria",
        "POST /intake/rules/criteria/{id}/retire",
        // Coordinators' loads (counts per coordinator) and their profiles (languages, limit).
        "GET /intake/coordinators",
        "POST /intake/coordinators/{id}",
        // The signed-in user's own notifications (they name no child; every query names the
        // user; the page a notification opens is in the matrix).
        "GET /notifications",
        "POST /notifications/read",
        "POST /notifications/email",
        "POST /notifications/{id}/open",
        // Indicators and quarterly reports: counts of recorded events, suppressed, never a
        // child (tests/http/test_report_http.cpp checks who may see and do what).
        "GET /reports",
        "POST /reports",
        "GET /reports/{id}",
        "GET /reports/{id}/export.csv",
        "GET /reports/{id}/export.xlsx",
        "GET /dashboard",
        "GET /dashboard/export.csv",
        "GET /dashboard/export.xlsx",
        "POST /reports/{id}/{event}",
        "GET /indicators",
        "POST /indicators",
        "POST /indicators/{code}/on",
        "POST /indicators/{code}/off",
        // The agreements registry: agreements between organisations, never a child
        // (tests/http/test_agreement_http.cpp checks who may see and do what).
        "GET /agreements",
        "GET /agreements/export.csv",
        "GET /agreements/export.xlsx",
        "GET /agreements/coverage",
        "GET /agreements/new",
        "POST /agreements",
        "GET /agreements/{id}",
        "GET /agreements/{id}/edit",
        "POST /agreements/{id}/edit",
        "POST /agreements/{id}/evaluations",
        "POST /agreements/{id}/{event}",
        "POST /agreements/{id}/documents",
        "GET /agreements/{id}/documents/{doc}",
        // The network's governance: committees of organisations, their meetings, decisions and
        // yearly reports, never a child (tests/http/test_governance_http.cpp checks who may see
        // and do what).
        "GET /governance",
        "GET /governance/new",
        "GET /governance/decisions",
        "GET /governance/decisions/export.csv",
        "POST /governance",
        "GET /governance/{id}",
        "POST /governance/{id}/members",
        "POST /governance/{id}/members/{org}/end",
        "POST /governance/{id}/meetings",
        "GET /governance/{id}/meetings/{m}",
        "POST /governance/{id}/meetings/{m}/{event}",
        "POST /governance/{id}/decisions",
        "GET /governance/{id}/decisions/{d}",
        "POST /governance/{id}/decisions/{d}/follow-up",
        "POST /governance/{id}/decisions/{d}/{event}",
        "POST /governance/{id}/reports",
        "GET /governance/{id}/reports/{r}",
        "POST /governance/{id}/reports/{r}/edit",
        "POST /governance/{id}/reports/{r}/sign",
        "POST /governance/{id}/reports/{r}/{event}",
        // Where the network stands: maturity assessments of areas and partnerships and the
        // community plans registry, never a child (tests/http/test_network_http.cpp and
        // test_community_plans_http.cpp check who may see and do what).
        "GET /network",
        "GET /network/maturity",
        "GET /network/maturity/history",
        "GET /network/maturity/compare",
        "GET /network/maturity/new",
        "POST /network/maturity",
        "GET /network/maturity/{id}",
        "GET /network/map",
        "GET /network/plans",
        "GET /network/plans/new",
        "GET /network/plans/export.csv",
        "POST /network/plans",
        "GET /network/plans/{id}",
        "GET /network/plans/{id}/edit",
        "POST /network/plans/{id}/edit",
        "POST /network/plans/{id}/{event}",
        // Capacity building: the training catalogue, requirements, completions and compliance are
        // about staff and trainings, never a child (tests/http/test_training_http.cpp checks who
        // may see and do what).
        "GET /network/trainings",
        "GET /network/trainings/new",
        "POST /network/trainings",
        "GET /network/trainings/{id}",
        "GET /network/trainings/{id}/edit",
        "POST /network/trainings/{id}/edit",
        "GET /network/trainings/{id}/requirements",
        "POST /network/trainings/{id}/requirements",
        "POST /network/trainings/{id}/retire",
        "GET /network/trainings/{id}/completions/new",
        "POST /network/trainings/{id}/completions",
        "GET /network/compliance",
        "GET /network/compliance/export.csv",
        "GET /network/compliance/{org}",
        "GET /network/my-trainings",
        // Outreach and knowledge sharing: what the agency and providers did to make the network
        // known, about organisations, never a child (tests/http/test_outreach_http.cpp checks who
        // may see and do what).
        "GET /network/outreach",
        "GET /network/outreach/export.csv",
        "GET /network/outreach/new",
        "POST /network/outreach",
        "GET /network/outreach/{id}",
        "GET /network/outreach/{id}/edit",
        "POST /network/outreach/{id}/edit",
        // The library of common tools and forms: tools, their files and the providers' adoptions,
        // never a child (tests/http/test_tools_http.cpp checks who may see and do what).
        "GET /network/tools",
        "GET /network/tools/adoption",
        "GET /network/tools/new",
        "POST /network/tools",
        "GET /network/tools/{id}",
        "GET /network/tools/{id}/edit",
        "POST /network/tools/{id}/edit",
        "POST /network/tools/{id}/files",
        "GET /network/tools/{id}/files/{lang}",
        "POST /network/tools/{id}/adopt",
        "POST /network/tools/{id}/retire",
        // The service directory and its pathways (organisations' public information).
        "GET /directory/manage",
        "GET /directory/pathways",
        "GET /directory/pathways/new",
        "POST /directory/pathways/new",
        "GET /directory/pathways/{id}/edit",
        "POST /directory/pathways/{id}/edit",
        "POST /directory/pathways/{id}/deactivate",
        "POST /directory/pathways/{id}/reactivate",
    };
    std::vector<std::string> missing;
    for (const auto& r : app_->router().routes()) {
        if (r.handler.access == web::Access::public_page) continue;
        const std::string key = r.method + " " + r.pattern;
        if (r.pattern.rfind("/directory/manage", 0) == 0 || r.pattern.rfind("/directory/hsds", 0) == 0 ||
            r.pattern.rfind("/api/hsds", 0) == 0)
            continue;  // the directory's services, locations, waitlists and HSDS import: no personal information
        if (!tabled.count(key) && !outside.count(key)) missing.push_back(key);
    }
    EXPECT_TRUE(missing.empty()) << "routes neither in the matrix nor named as outside personal information:\n"
                                 << [&] {
                                        std::string s;
                                        for (const auto& k : missing) s += "  " + k + "\n";
                                        return s;
                                    }();
}
