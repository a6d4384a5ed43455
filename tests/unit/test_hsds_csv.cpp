// The RFC 4180 CSV reader and writer, deterministic UUIDv5 ids, HSDS paging and the exported
// datapackage against the official one (pure).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "interop/csv.hpp"
#include "interop/hsds.hpp"
#include "interop/hsds_tables.hpp"
#include "interop/uuid.hpp"

using namespace arrimage::interop;

namespace {
CsvTable parse_ok(std::string_view text) {
    CsvError e;
    auto t = parse_csv(text, e);
    EXPECT_TRUE(t) << e.code << " at line " << e.line;
    return t ? *t : CsvTable{};
}
std::string parse_error(std::string_view text, const CsvLimits& limits = {}) {
    CsvError e;
    auto t = parse_csv(text, e, limits);
    EXPECT_FALSE(t);
    return e.code + ":" + std::to_string(e.line);
}
}  // namespace

TEST(Csv, QuotedFieldsEmbeddedNewlinesAndDoubledQuotes) {
    auto t = parse_ok("id,name,notes\r\n1,\"Smith, Jane\",\"line one\nline two\"\r\n2,\"say \"\"hi\"\"\",\r\n");
    ASSERT_EQ(t.header, (std::vector<std::string>{"id", "name", "notes"}));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][1], "Smith, Jane");
    EXPECT_EQ(t.rows[0][2], "line one\nline two");
    EXPECT_EQ(t.rows[1][1], "say \"hi\"");
    EXPECT_EQ(t.rows[1][2], "");
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 4}));  // the embedded newline counts
}

TEST(Csv, ByteOrderMarkLfAndNoFinalNewline) {
    auto t = parse_ok("\xEF\xBB\xBFid,name\n1,École\n\n2,Zoé");
    EXPECT_EQ(t.header[0], "id");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][1], "École");
    EXPECT_EQ(t.rows[1][1], "Zoé");
    EXPECT_EQ(*t.column("name"), 1u);
    EXPECT_FALSE(t.column("missing"));
}

TEST(Csv, RejectsBadInput) {
    EXPECT_EQ(parse_error("id\n\"open"), "unterminated_quote:2");
    EXPECT_EQ(parse_error("id,name\n1,\"a\"b\n"), "bad_quote:2");
    EXPECT_EQ(parse_error("id,name\n1,a\"b\n"), "bad_quote:2");
    EXPECT_EQ(parse_error("id,name\n1\n"), "ragged_row:2");
    EXPECT_EQ(parse_error("id,name\n1,\xC3\x28\n"), "invalid_utf8:2");
    // The line of the first invalid byte, counting lines inside quoted values; a byte-order
    // mark does not shift it.
    EXPECT_EQ(parse_error("\xEF\xBB\xBFid,name\n1,\"a\nb\"\r\n2,ok\r\n3,\xFF\n4,\xC3\n"), "invalid_utf8:5");
    EXPECT_EQ(parse_error("id\xC3"), "invalid_utf8:1");
    EXPECT_EQ(parse_error(""), "empty:0");
    CsvLimits small;
    small.max_rows = 1;
    EXPECT_EQ(parse_error("id\n1\n2\n", small), "too_many_rows:3");
    small = {};
    small.max_bytes = 4;
    EXPECT_EQ(parse_error("id\n12345\n", small), "too_large:0");
    small = {};
    small.max_field_bytes = 3;
    EXPECT_EQ(parse_error("id\n1234\n", small), "field_too_long:2");
    small = {};
    small.max_fields = 2;
    EXPECT_EQ(parse_error("a,b,c\n", small), "too_many_fields:1");
}

TEST(Csv, WriterRoundTrips) {
    const std::vector<std::string> row = {"plain", "with, comma", "with \"quotes\"", "multi\r\nline", ""};
    auto t = parse_ok(csv_record({"a", "b", "c", "d", "e"}) + csv_record(row));
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0], row);
    EXPECT_EQ(csv_record({"x", "y"}), "x,y\r\n");
}

TEST(Uuid, Sha1AndVersion5KnownAnswers) {
    // FIPS 180 "abc" and the RFC 4122 appendix-style DNS example (as computed by Python's uuid5).
    std::string hex;
    for (unsigned char c : sha1("abc")) {
        static const char* digits = "0123456789abcdef";
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    EXPECT_EQ(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    EXPECT_EQ(hsds_id("service", 42), hsds_id("service", 42));
    EXPECT_NE(hsds_id("service", 42), hsds_id("organization", 42));
    EXPECT_TRUE(valid_uuid(hsds_id("service", 42)));
    EXPECT_FALSE(valid_uuid("not-a-uuid"));
}

TEST(HsdsPaging, FirstLastAndEmptyPages) {
    std::vector<nlohmann::json> items;
    for (int i = 0; i < 5; ++i) items.push_back({{"id", i}});
    auto p = hsds_page(items, 2, 2);
    EXPECT_EQ(p["total_items"], 5);
    EXPECT_EQ(p["total_pages"], 3);
    EXPECT_EQ(p["page_number"], 2);
    EXPECT_EQ(p["size"], 2);
    EXPECT_FALSE(p["first_page"].get<bool>());
    EXPECT_FALSE(p["last_page"].get<bool>());
    EXPECT_EQ(p["contents"][0]["id"], 2);
    auto last = hsds_page(items, 3, 2);
    EXPECT_TRUE(last["last_page"].get<bool>());
    EXPECT_EQ(last["size"], 1);
    auto past = hsds_page(items, 9, 2);
    EXPECT_TRUE(past["empty"].get<bool>());
    auto none = hsds_page({}, 1, 50);
    EXPECT_TRUE(none["empty"].get<bool>());
    EXPECT_TRUE(none["first_page"].get<bool>() && none["last_page"].get<bool>());
}

TEST(HsdsMapping, WaitlistToStatusAndWaitTime) {
    DirService s;
    s.waitlist_status = "waitlist";
    s.wait_weeks = 12;
    EXPECT_EQ(hsds_status(s), "active");
    EXPECT_EQ(hsds_wait_time(s, arrimage::Lang::en), "12 weeks");
    EXPECT_EQ(hsds_wait_time(s, arrimage::Lang::fr), "12 semaines");
    s.waitlist_status = "closed";
    s.wait_weeks.reset();
    EXPECT_EQ(hsds_status(s), "temporarily closed");
    EXPECT_EQ(hsds_wait_time(s, arrimage::Lang::en), "");
    DirectorySnapshot d;
    s.name_fr = "Répit";
    s.name_en = "Respite";
    auto fr = hsds_service(s, d, arrimage::Lang::fr);
    EXPECT_EQ(fr["name"], "Répit");
    EXPECT_EQ(fr["alternate_name"], "Respite");
    EXPECT_TRUE(fr.contains("alert"));
}

// Every resource of the exported datapackage.json is a resource of the official HSDS 3.0
// datapackage (../shared/reference/hsds-3.0) with the same name, file and primary key, and each
// of its fields is a field of that resource with the same type, format and "required".
TEST(HsdsDatapackage, ExportedTablesMatchTheOfficialDatapackage) {
    const auto official_path =
        std::filesystem::path(ARRIMAGE_SOURCE_DIR) / ".." / "shared" / "reference" / "hsds-3.0" / "schema" / "datapackage.json";
    if (!std::filesystem::exists(official_path)) GTEST_SKIP() << official_path << " not found: comparison skipped";
    const auto official = nlohmann::json::parse(std::ifstream(official_path));
    const auto set = hsds_csv_export({}, arrimage::Lang::en);
    const auto ours = nlohmann::json::parse(hsds_datapackage_json(set));
    ASSERT_EQ(ours["resources"].size(), set.files.size());
    for (const auto& r : ours["resources"]) {
        SCOPED_TRACE(r["path"].get<std::string>());
        const auto o = std::find_if(official["resources"].begin(), official["resources"].end(),
                                    [&](const auto& x) { return x["path"] == r["path"]; });
        ASSERT_NE(o, official["resources"].end()) << "not an official HSDS file name";
        EXPECT_EQ((*o)["name"], r["name"]);
        EXPECT_EQ((*o)["schema"]["primaryKey"], r["schema"]["primaryKey"]);
        // The CSV header is the list of fields, in order.
        const auto* text = set.find(r["path"].get<std::string>());
        ASSERT_TRUE(text);
        CsvError err;
        const auto table = parse_csv(*text, err);
        ASSERT_TRUE(table);
        ASSERT_EQ(table->header.size(), r["schema"]["fields"].size());
        for (std::size_t i = 0; i < table->header.size(); ++i) {
            const auto& f = r["schema"]["fields"][i];
            EXPECT_EQ(f["name"], table->header[i]);
            const auto& fields = (*o)["schema"]["fields"];
            const auto of = std::find_if(fields.begin(), fields.end(), [&](const auto& x) { return x["name"] == f["name"]; });
            ASSERT_NE(of, fields.end()) << f["name"] << " is not a field of the official resource";
            EXPECT_EQ((*of)["type"], f["type"]) << f["name"];
            EXPECT_EQ(of->value("format", ""), f.value("format", "")) << f["name"];
            EXPECT_EQ((*of)["constraints"]["required"], f["constraints"]["required"]) << f["name"];
        }
        // Every required official field is written.
        for (const auto& of : (*o)["schema"]["fields"]) {
            if (of["constraints"]["required"].get<bool>()) {
                EXPECT_TRUE(table->column(of["name"].get<std::string>())) << of["name"] << " is required";
            }
        }
    }
}

// Exports for people (security review, finding 10): every field quoted, and no cell can start a
// formula whichever delimiter the spreadsheet splits on.
TEST(Csv, SpreadsheetRecordsQuoteEveryFieldAndNeutraliseFormulas) {
    using arrimage::interop::spreadsheet_record;
    EXPECT_EQ(spreadsheet_record({"1", "Léa", ""}), "\"1\",\"Léa\",\"\"\r\n");
    EXPECT_EQ(spreadsheet_record({"=HYPERLINK(\"x\")"}), "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
    EXPECT_EQ(spreadsheet_record({"Nom;=cmd|' /c calc'!A1"}), "\"Nom;'=cmd|' /c calc'!A1\"\r\n");
    EXPECT_EQ(spreadsheet_record({"a, +1", "b\t@x", "  -2"}), "\"a, '+1\",\"b\t'@x\",\"  '-2\"\r\n");
    EXPECT_EQ(spreadsheet_record({"Jean-Pierre"}), "\"Jean-Pierre\"\r\n");
    // What the reader gets back is one field per value, each starting as text.
    arrimage::interop::CsvError e;
    const auto t = arrimage::interop::parse_csv("h1,h2\r\n" + spreadsheet_record({"=1+1", "x;-2"}), e);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->rows[0][0], "'=1+1");
    EXPECT_EQ(t->rows[0][1], "x;'-2");
}
