// Notifications through the real HTTP server, on the backend under test (SQLite: label db,
// PostgreSQL: label pg), with the demo data: a referral from a child's file reaches the
// receiving organisation's managers' inbox, its answer reaches the sending side (the file's
// coordinator), in each one's language and by email when they want it; opening one marks it
// read and follows its link, nobody opens another's; the reminder job reminds both sides of an
// unanswered referral and the coordinators of overdue items, once; bad input changes nothing.
#include <gtest/gtest.h>

#include "core/i18n.hpp"
#include "features/notification/store/reminders.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;

namespace {

const char* const coordinator = "coord1@demo.arrimage.invalid";    // Léa's assigned coordinator
const char* const manager = "manager.ctc@demo.arrimage.invalid";   // the treatment centre's manager
const char* const bystander = "staff.home@demo.arrimage.invalid";  // participant staff, home care

}  // namespace

class NotificationWeb : public testsupport::DemoServerTest {
  protected:
    Client staff(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::int64_t user(const std::string& email) { return scalar("SELECT id FROM users WHERE email = ?", {email}); }
    // Sends a referral from Léa's file to the speech therapy service; its id.
    std::string refer_from_file(Client& coord) {
        const auto lea = std::to_string(scalar("SELECT id FROM people WHERE given_name = 'Léa'"));
        const auto speech = std::to_string(scalar("SELECT id FROM services WHERE name_en = 'Paediatric Speech Therapy'"));
        const std::string page = "/children/" + lea + "/referrals";
        EXPECT_EQ(coord.submit(page, page, "service_id=" + speech + "&needs=" + enc("Évaluation du langage.")).status, 303);
        return std::to_string(scalar("SELECT MAX(id) FROM referrals WHERE person_id = ?", {std::stoll(lea)}));
    }
    std::string reference(const std::string& id) {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one("SELECT reference FROM referrals WHERE id = ?", {std::stoll(id)})->str(0);
    }
    store::ReminderRun reminders() {
        auto tx = t_->db->begin(store::TxMode::write);
        auto run = store::raise_reminders(*tx, clock_, web::load_catalogue(), "http://127.0.0.1");
        tx->commit();
        return run;
    }
};

TEST_F(NotificationWeb, BothSidesOfAReferralHearOfItInTheirLanguage) {
    auto coord = staff(coordinator, "fr");
    const auto id = refer_from_file(coord);
    const auto ref = reference(id);
    const auto mgr_id = user(manager);
    const auto coord_id = user(coordinator);

    // The receiving organisation's manager: in the inbox, with the count in the navigation.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'referral_new' AND reference = ? "
                     "AND link = ?",
                     {mgr_id, ref, "/referrals/" + id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND reference = ?", {coord_id, ref}), 0)
        << "nobody is told of what they did themselves";
    auto mgr = staff(manager);
    auto inbox = mgr.get("/notifications");
    ASSERT_EQ(inbox.status, 200);
    EXPECT_TRUE(inbox.has("Referral " + ref + " arrived at Demo Children&apos;s Treatment Centre."));
    EXPECT_TRUE(inbox.has("unread)</a>"));
    EXPECT_FALSE(inbox.has("Léa")) << "a notification names no child";
    const auto note = std::to_string(
        scalar("SELECT id FROM notifications WHERE user_id = ? AND reference = ? AND kind = 'referral_new'", {mgr_id, ref}));

    // Someone else cannot open it; its recipient opens it: read, and on to the referral.
    auto other = staff(bystander);
    EXPECT_EQ(other.submit("/notifications", "/notifications/" + note + "/open", "").status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE id = ? AND read_at IS NULL", {std::stoll(note)}), 1);
    auto opened = mgr.submit("/notifications", "/notifications/" + note + "/open", "");
    ASSERT_EQ(opened.status, 303);
    EXPECT_EQ(opened.header("location"), "/referrals/" + id);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE id = ? AND read_at IS NOT NULL", {std::stoll(note)}), 1);
    EXPECT_FALSE(mgr.get("/notifications?show=unread").has(ref + " arrived"));

    // The answer reaches the sending side, the file's coordinator, in their language; by email
    // too (they did not turn it off), naming no child.
    const std::string r = "/referrals/" + id;
    ASSERT_EQ(mgr.submit(r, r + "/accept", "note=").status, 303);
    auto fr = coord.get("/notifications");
    EXPECT_TRUE(fr.has("Demande " + ref + " à Centre de traitement pour enfants Démo : Accepté.")) << fr.body.substr(0, 4000);
    // The email is in the language of their account.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox o JOIN users u ON u.email = o.to_address WHERE u.id = ? "
                     "AND o.subject = ? AND o.body_text LIKE ? AND o.body_text NOT LIKE '%Léa%'",
                     {coord_id, "Arrimage: Referral update (" + ref + ")", "%Referral " + ref + " to %: Accepted.%"}),
              1);

    // Email turned off: the next one stays in the inbox only. A garbled choice changes nothing.
    auto bad = coord.submit("/notifications", "/notifications/email", "email=oui");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.has("Cochez la case ou laissez-la vide."));
    EXPECT_EQ(scalar("SELECT email_notifications FROM users WHERE id = ?", {coord_id}), 1);
    ASSERT_EQ(coord.submit("/notifications", "/notifications/email", "").status, 303);
    EXPECT_EQ(scalar("SELECT email_notifications FROM users WHERE id = ?", {coord_id}), 0);
    const auto emails = scalar("SELECT COUNT(*) FROM outbox o JOIN users u ON u.email = o.to_address WHERE u.id = ?", {coord_id});
    ASSERT_EQ(mgr.submit(r, r + "/start", "note=").status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND reference = ?", {coord_id, ref}), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox o JOIN users u ON u.email = o.to_address WHERE u.id = ?", {coord_id}), emails);

    // Mark all read; bad filters and pages are field errors.
    ASSERT_EQ(coord.submit("/notifications", "/notifications/read", "").status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {coord_id}), 0);
    auto none = coord.get("/notifications?show=unread");
    EXPECT_TRUE(none.has("Vous avez lu tous vos avis."));
    EXPECT_TRUE(none.has(">Avis</a>")) << "no count once everything is read";
    auto garbled = coord.get("/notifications?show=bogus");
    EXPECT_GE(garbled.status, 400);
    EXPECT_TRUE(garbled.has("Choisissez tous les avis ou les avis non lus."));
    EXPECT_TRUE(coord.get("/notifications?page=0").has("La page doit être un nombre entier de 1 à 10000."));
    EXPECT_EQ(Client(port_).get("/notifications").status, 303) << "signed in only";
}

TEST_F(NotificationWeb, TheReminderJobRemindsBothSidesAndTheCoordinatorsOnce) {
    auto coord = staff(coordinator);
    const auto id = refer_from_file(coord);
    const auto ref = reference(id);
    const auto mgr_id = user(manager);
    const auto coord_id = user(coordinator);

    // Nothing is due yet.
    auto early = reminders();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'referral_reminder' AND reference = ?", {ref}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND reminded_at IS NULL", {std::stoll(id)}), 1);

    // Past the area's five days to answer: both sides are reminded, once.
    clock_.advance(std::chrono::hours(24 * 6));
    auto run = reminders();
    EXPECT_GE(run.referrals, 1);
    EXPECT_GT(run.notifications, early.notifications);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'referral_reminder' AND reference = ? AND user_id IN (?, ?)",
               {ref, mgr_id, coord_id}),
        2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND reminded_at IS NOT NULL", {std::stoll(id)}), 1);
    EXPECT_TRUE(staff(manager)
                    .get("/notifications")
                    .has("Referral " + ref +
                         " to Demo Children&apos;s Treatment Centre has "
                         "waited 6 days for an answer."));

    // The demo's assigned files past their first contact: their coordinators heard of it (at
    // the demo's load, or now).
    EXPECT_GE(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'overdue' AND text_en LIKE '%First contact with the "
                     "family was due on%'"),
              1);
    const auto all = scalar("SELECT COUNT(*) FROM notifications");

    // A second run the same day adds nothing.
    auto again = reminders();
    EXPECT_EQ(again.notifications, 0);
    EXPECT_EQ(again.referrals, 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications"), all);
}
