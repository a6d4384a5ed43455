// The letter to a family found not eligible for coordinated service planning (docs/INTAKE.md,
// "The letter"): in the family's language of service, printable (/intake/{id}/letter), as a
// PDF (/intake/{id}/letter.pdf), and by email through the outbox when the referral gave an
// address. One text for all three, built from the intake (decided and audited as a read of it)
// and its referral's decline: the decision, its reason, where the referral was sent on, and how
// to come back. The email names no child (a reference only), as every email of Arrimage.
#pragma once
#include <cstdint>

namespace arrimage::web {

class WebApp;
struct Ctx;

namespace intake_letter {
void register_pages(WebApp& app);
// Writes the letter of intake `id` to the outbox when the family gave an email, in the
// request's transaction; false when there is no address (the page says to print it).
bool send(Ctx& ctx, std::int64_t id);
}  // namespace intake_letter

}  // namespace arrimage::web
