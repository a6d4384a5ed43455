#pragma once
// Reminds organisations to confirm waitlists that have gone stale: one email per provider
// manager of each organisation with services not confirmed for more than `stale_days` days
// (its SDA's coordinating-agency administrators when it has no provider manager), written to
// the outbox in the caller's transaction. A service is mentioned once per staleness: not again
// until its waitlist has been updated and has gone stale anew.
#include <string>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "store/db.hpp"

namespace arrimage::store {

// Returns the number of emails queued. `public_base_url` builds the link to the organisation's
// directory page.
int queue_stale_waitlist_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, int stale_days,
                                   const std::string& public_base_url);

}  // namespace arrimage::store
