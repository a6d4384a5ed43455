// The public HSDS 3.0 API through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo directory; responses are validated against
// the official HSDS 3.0 schemas (../shared/reference/hsds-3.0) with Debian's python3-jsonschema.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "db/test_support.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "interop/uuid.hpp"
#include "web/app.hpp"

using namespace arrimage;
using nlohmann::json;
using testsupport::Client;

namespace fs = std::filesystem;

class HsdsWeb : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why, 6);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
        web::Config cfg;
        cfg.password_cost = PasswordHashCost::minimum();
        cfg.public_base_url = "http://127.0.0.1";
        app_ = std::make_unique<web::WebApp>(cfg, *t_->db, clock_, random_);
        server_ = std::make_unique<http::Server>(
            "127.0.0.1", 0, cfg.limits, [this](http::Request& r) { return app_->handle(r); },
            [this](int status, const http::Request& r) { return app_->transport_error(status, r); }, 2);
        server_->listen();
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(false); });
    }
    void TearDown() override {
        if (server_) {
            server_->stop();
            thread_.join();
        }
    }
    json get_json(const std::string& target, int status = 200) {
        Client c(port_);
        auto r = c.get(target);
        EXPECT_EQ(r.status, status) << target << "\n" << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << target;
        auto j = json::parse(r.body, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << target;
        return j;
    }

    std::unique_ptr<testsupport::TestDb> t_;
    ManualClock clock_{std::chrono::system_clock::now()};
    SodiumRandom random_;
    std::unique_ptr<web::WebApp> app_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    unsigned short port_ = 0;
};

TEST_F(HsdsWeb, ListsArePagedAndPublic) {
    auto all = get_json("/api/hsds/services?per_page=500");
    const auto total = all["total_items"].get<int>();
    ASSERT_GT(total, 10);
    EXPECT_EQ(all["size"], total);
    auto p = get_json("/api/hsds/services?page=2&per_page=5");
    EXPECT_EQ(p["page_number"], 2);
    EXPECT_EQ(p["size"], 5);
    EXPECT_EQ(p["total_pages"], (total + 4) / 5);
    EXPECT_FALSE(p["first_page"].get<bool>());
    EXPECT_EQ(p["contents"][0]["id"], all["contents"][5]["id"]);
    for (const auto* path : {"/api/hsds/organizations", "/api/hsds/service_at_locations", "/api/hsds/taxonomies",
                             "/api/hsds/taxonomy_terms"}) {
        auto j = get_json(path);
        EXPECT_GT(j["total_items"].get<int>(), 0) << path;
    }
    // Pages are cut by the database: walking them with a small page size gives the whole list,
    // in the same order, for every paged kind; each record is reachable by its id.
    for (const std::string kind : {"services", "organizations", "service_at_locations"}) {
        const auto whole = get_json("/api/hsds/" + kind + "?per_page=500");
        std::vector<json> walked;
        const int pages = (whole["total_items"].get<int>() + 6) / 7;
        for (int n = 1; n <= pages + 1; ++n) {
            auto page = get_json("/api/hsds/" + kind + "?per_page=7&page=" + std::to_string(n));
            EXPECT_EQ(page["total_items"], whole["total_items"]) << kind;
            EXPECT_EQ(page["last_page"].get<bool>(), n >= pages) << kind << " page " << n;
            for (const auto& item : page["contents"]) walked.push_back(item);
        }
        ASSERT_EQ(walked.size(), whole["contents"].size()) << kind;
        for (std::size_t i = 0; i < walked.size(); ++i) EXPECT_EQ(walked[i], whole["contents"][i]) << kind << " item " << i;
        const auto& last = whole["contents"].back();
        auto one = get_json("/api/hsds/" + kind + "/" + last["id"].get<std::string>());
        EXPECT_EQ(one["id"], last["id"]) << kind;
        EXPECT_EQ(one.value("name", json()), last.value("name", json())) << kind;
        if (kind == "service_at_locations") {
            EXPECT_EQ(one, last);
        }
        get_json("/api/hsds/" + kind + "/" + interop::hsds_id(kind, 424242), 404);
    }
    get_json("/api/hsds/services?page=0", 400);
    get_json("/api/hsds/services?per_page=abc", 400);
    get_json("/api/hsds/services?lang=de", 400);
}

TEST_F(HsdsWeb, OneRecordByStableIdInEitherLanguage) {
    auto list = get_json("/api/hsds/services?per_page=1");
    const auto id = list["contents"][0]["id"].get<std::string>();
    EXPECT_TRUE(interop::valid_uuid(id));
    auto en = get_json("/api/hsds/services/" + id);
    auto fr = get_json("/api/hsds/services/" + id + "?lang=fr");
    EXPECT_EQ(en["id"], fr["id"]);
    EXPECT_EQ(en["name"], fr["alternate_name"]);
    EXPECT_EQ(en["organization"]["id"], en["organization_id"]);
    get_json("/api/hsds/services/" + interop::hsds_id("service", 999999), 404);
    get_json("/api/hsds/services/not-a-uuid", 404);
    auto org = get_json("/api/hsds/organizations/" + en["organization_id"].get<std::string>());
    EXPECT_EQ(org["id"], en["organization_id"]);
}

TEST_F(HsdsWeb, ResponsesValidateAgainstTheOfficialSchemas) {
    const fs::path schemas = fs::path(ARRIMAGE_SOURCE_DIR) / ".." / "shared" / "reference" / "hsds-3.0" / "schema";
    if (!fs::exists(schemas / "compiled" / "service.json"))
        GTEST_SKIP() << "HSDS 3.0 schemas not found at " << schemas << ": schema validation skipped";
    if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3-jsonschema is not installed (scripts/install-deps): schema validation skipped";
    const fs::path dir = fs::temp_directory_path() / ("arrimage-hsds-" + std::to_string(port_));
    fs::create_directories(dir);
    auto save = [&](const std::string& name, const json& j) { std::ofstream(dir / name) << j.dump(); };
    auto services = get_json("/api/hsds/services?per_page=500");
    std::vector<std::pair<std::string, std::string>> checks;  // file, schema
    int n = 0;
    for (const auto& s : services["contents"]) {
        const auto name = "service" + std::to_string(n++) + ".json";
        save(name, get_json("/api/hsds/services/" + s["id"].get<std::string>() + (n % 2 ? "?lang=fr" : "")));
        checks.emplace_back(name, "compiled/service.json");
    }
    auto orgs = get_json("/api/hsds/organizations");
    for (const auto& o : orgs["contents"]) {
        const auto name = "organization" + std::to_string(n++) + ".json";
        save(name, get_json("/api/hsds/organizations/" + o["id"].get<std::string>()));
        checks.emplace_back(name, "compiled/organization.json");
    }
    const auto sals = get_json("/api/hsds/service_at_locations");  // keep the document alive while iterating
    for (const auto& sal : sals["contents"]) {
        const auto name = "sal" + std::to_string(n++) + ".json";
        save(name, sal);
        checks.emplace_back(name, "compiled/service_at_location.json");
    }
    const auto terms = get_json("/api/hsds/taxonomy_terms?lang=fr");
    for (const auto& t : terms["contents"]) {
        const auto name = "term" + std::to_string(n++) + ".json";
        save(name, t);
        checks.emplace_back(name, "taxonomy_term.json");
    }
    save("taxonomy.json", get_json("/api/hsds/taxonomies")["contents"][0]);
    checks.emplace_back("taxonomy.json", "taxonomy.json");

    // Draft 2020-12, sibling $refs resolved against the schema folder.
    std::ofstream script(dir / "validate.py");
    script << "import json, sys, pathlib\n"
              "import jsonschema\n"
              "base = pathlib.Path(sys.argv[1])\n"
              "def load(p):\n"
              "    return json.loads(p.read_text())\n"
              "def validator(schema):\n"
              "    try:\n"
              "        from referencing import Registry, Resource\n"
              "        from referencing.jsonschema import DRAFT202012\n"
              "        reg = Registry(retrieve=lambda uri: Resource.from_contents(load(base / uri.split('/')[-1]), default_specification=DRAFT202012))\n"
              "        return jsonschema.Draft202012Validator(schema, registry=reg)\n"
              "    except ImportError:\n"
              "        res = jsonschema.RefResolver(base_uri=base.as_uri() + '/', referrer=schema)\n"
              "        return jsonschema.Draft202012Validator(schema, resolver=res)\n"
              "bad = 0\n"
              "for line in pathlib.Path(sys.argv[2]).read_text().splitlines():\n"
              "    doc, schema = line.split(' ')\n"
              "    v = validator(load(base / schema))\n"
              "    for e in v.iter_errors(load(pathlib.Path(sys.argv[3]) / doc)):\n"
              "        bad += 1\n"
              "        print(doc, schema, list(e.absolute_path), e.message[:300])\n"
              "sys.exit(1 if bad else 0)\n";
    script.close();
    std::ofstream list(dir / "checks.txt");
    for (const auto& [doc, schema] : checks) list << doc << " " << schema << "\n";
    list.close();
    const auto cmd = "/usr/bin/python3 " + (dir / "validate.py").string() + " " + schemas.string() + " " +
                     (dir / "checks.txt").string() + " " + dir.string() + " > " + (dir / "out.txt").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir / "out.txt");
    const std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report;
    fs::remove_all(dir);
}
