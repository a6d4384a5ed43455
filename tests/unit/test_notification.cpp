// The notification feature's rules: its kinds' codes, the inbox filter, the keys that make a
// job's occasion written once, and when an unanswered referral is due a reminder.
#include <gtest/gtest.h>

#include <set>

#include "features/notification/domain/notification.hpp"

using namespace arrimage;
using namespace arrimage::domain;

TEST(NotificationKinds, EachHasOneCodeThatParsesBack) {
    std::set<std::string> codes;
    for (auto k : all_notice_kinds()) {
        const std::string c(code(k));
        EXPECT_FALSE(c.empty());
        EXPECT_TRUE(codes.insert(c).second) << c;
        EXPECT_EQ(parse_notice_kind(c), k);
    }
    EXPECT_EQ(codes.size(), 10u);
    EXPECT_FALSE(parse_notice_kind("Assigned"));
    EXPECT_FALSE(parse_notice_kind(""));
}

TEST(InboxFilter, EmptyIsAllAndAnythingElseIsAFieldError) {
    EXPECT_EQ(*parse_inbox_filter(""), InboxFilter::all);
    EXPECT_EQ(*parse_inbox_filter("all"), InboxFilter::all);
    EXPECT_EQ(*parse_inbox_filter("unread"), InboxFilter::unread);
    for (const char* bad : {"UNREAD", "read", "unread ", "<b>"}) {
        auto f = parse_inbox_filter(bad);
        ASSERT_FALSE(f) << bad;
        ASSERT_EQ(f.error().fields.size(), 1u);
        EXPECT_EQ(f.error().fields[0].field, "show");
        EXPECT_EQ(f.error().fields[0].message_key, "notification.error.filter");
    }
}

TEST(NotificationKeys, NameOneOccasionEach) {
    EXPECT_EQ(reminder_key(12), "reminder:referral:12");
    EXPECT_NE(reminder_key(12), reminder_key(120));
    const Date due{2026, 12, 3};
    EXPECT_EQ(overdue_key(7, "first_contact", due), "overdue:intake:7:first_contact:2026-12-03");
    EXPECT_NE(overdue_key(7, "first_contact", due), overdue_key(7, "first_plan", due));
    EXPECT_NE(overdue_key(7, "first_contact", due), overdue_key(7, "first_contact", Date{2026, 12, 4}))
        << "a new due date is a new occasion";
    EXPECT_NE(overdue_key(7, "first_contact", due), overdue_key(70, "first_contact", due));
}

TEST(ReferralReminder, IsDueOnceTheAreasDaysHavePassed) {
    const Date received{2026, 2, 25};
    EXPECT_FALSE(reminder_due(received, received, 5));
    EXPECT_FALSE(reminder_due(received, Date{2026, 3, 1}, 5));  // 4 days (2026 is a common year)
    EXPECT_TRUE(reminder_due(received, Date{2026, 3, 2}, 5));   // 5 days
    EXPECT_TRUE(reminder_due(received, Date{2026, 4, 2}, 5));
    EXPECT_TRUE(reminder_due(received, Date{2026, 2, 26}, 1));
    EXPECT_FALSE(reminder_due(received, Date{2026, 2, 24}, 1)) << "a clock before the receipt reminds nobody";
}
