// The notification feature's pages (pages_notifications.cpp): the signed-in user's inbox, the
// "mark read" actions and their email preference, and the unread count in the layout's
// navigation. Other features' pages raise notifications through `notifications(ctx)`, in the
// request's transaction. The web kernel registers the pages (WebApp::register_pages).
#pragma once
#include "features/notification/store/notification_repo.hpp"
#include "web/app.hpp"

namespace arrimage::web {

class WebApp;
void register_notification_pages(WebApp& app);

namespace notification_pages {
// The repository on the request's transaction, with the application's catalogue and links.
store::NotificationRepo notifications(Ctx& ctx);
// Tells `users` (but not the signed-in user: nobody is told of what they did themselves).
void notify(Ctx& ctx, std::vector<std::int64_t> users, const store::NewNotification& n);
}  // namespace notification_pages

}  // namespace arrimage::web
