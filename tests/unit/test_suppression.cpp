// Small-cell suppression of the ministry report's tables (features/reporting/domain/suppression.hpp):
// which counts are hidden, and that nobody holding the published table can compute a hidden one
// back. The attack is written here from the table's sums alone, by exact elimination, without the
// graph reasoning the domain relies on.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "features/reporting/domain/suppression.hpp"

namespace d = arrimage::domain;

namespace {

using Counts = std::vector<std::vector<std::int64_t>>;
using Hidden = std::vector<std::vector<bool>>;
using CellSet = std::set<std::pair<int, int>>;

// An exact fraction, always reduced, its denominator positive.
struct Fraction {
    std::int64_t num = 0, den = 1;
    Fraction() = default;
    Fraction(std::int64_t n, std::int64_t dn = 1) : num(n), den(dn) {
        if (den < 0) num = -num, den = -den;
        const std::int64_t g = std::gcd(num, den);
        if (g > 1) num /= g, den /= g;
    }
    bool zero() const { return num == 0; }
};
Fraction operator-(Fraction a, Fraction b) {
    return {a.num * b.den - b.num * a.den, a.den * b.den};
}
Fraction operator*(Fraction a, Fraction b) {
    return {a.num * b.num, a.den * b.den};
}
Fraction operator/(Fraction a, Fraction b) {
    return {a.num * b.den, a.den * b.num};
}

// The grid with its totals, added up here: row `rows` the column totals, column `cols` the row
// totals.
Counts with_totals(const Counts& cells) {
    const std::size_t rows = cells.size(), cols = cells.front().size();
    Counts g(rows + 1, std::vector<std::int64_t>(cols + 1, 0));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            g[r][c] = cells[r][c];
            g[r][cols] += cells[r][c];
            g[rows][c] += cells[r][c];
            g[rows][cols] += cells[r][c];
        }
    return g;
}

Hidden hidden_of(const d::SuppressedTable& t) {
    Hidden h(t.marks.size(), std::vector<bool>(t.marks.front().size(), false));
    for (int r = 0; r <= t.rows; ++r)
        for (int c = 0; c <= t.cols; ++c) h[r][c] = t.hidden(r, c);
    return h;
}

CellSet hidden_cells(const d::SuppressedTable& t) {
    CellSet s;
    for (int r = 0; r <= t.rows; ++r)
        for (int c = 0; c <= t.cols; ++c)
            if (t.hidden(r, c)) s.insert({r, c});
    return s;
}

struct Recomputed {
    int r = 0, c = 0;
    Fraction value;
};

// What someone holding the published table computes: every row and every column of the grid says
// its other cells add up to its last one. The hidden cells are the unknowns, the shown ones go to
// the right-hand side; the system is brought to reduced row echelon form with exact fractions. A
// hidden cell is determined when the unit vector of its unknown lies in the row space of the
// coefficients, which in reduced form means a row whose only non-zero coefficient is that unknown.
std::vector<Recomputed> attack(const Counts& grid, const Hidden& hidden) {
    const int height = static_cast<int>(grid.size()), width = static_cast<int>(grid.front().size());
    std::vector<std::vector<int>> unknown(height, std::vector<int>(width, -1));
    std::vector<std::pair<int, int>> cell_of;
    for (int r = 0; r < height; ++r)
        for (int c = 0; c < width; ++c)
            if (hidden[r][c]) {
                unknown[r][c] = static_cast<int>(cell_of.size());
                cell_of.push_back({r, c});
            }
    const int n = static_cast<int>(cell_of.size());

    std::vector<std::vector<Fraction>> system;
    const auto equation = [&](const std::vector<std::pair<int, int>>& parts, std::pair<int, int> total) {
        std::vector<Fraction> eq(n + 1);
        const auto term = [&](std::pair<int, int> cell, std::int64_t sign) {
            const auto [r, c] = cell;
            if (hidden[r][c])
                eq[unknown[r][c]] = Fraction(eq[unknown[r][c]].num + sign);
            else
                eq[n] = eq[n] - Fraction(sign * grid[r][c]);
        };
        for (const auto& p : parts) term(p, 1);
        term(total, -1);
        system.push_back(eq);
    };
    for (int r = 0; r < height; ++r) {
        std::vector<std::pair<int, int>> parts;
        for (int c = 0; c + 1 < width; ++c) parts.push_back({r, c});
        equation(parts, {r, width - 1});
    }
    for (int c = 0; c < width; ++c) {
        std::vector<std::pair<int, int>> parts;
        for (int r = 0; r + 1 < height; ++r) parts.push_back({r, c});
        equation(parts, {height - 1, c});
    }

    // Gauss-Jordan elimination.
    std::size_t pivot_row = 0;
    for (int col = 0; col < n && pivot_row < system.size(); ++col) {
        std::size_t found = pivot_row;
        while (found < system.size() && system[found][col].zero()) ++found;
        if (found == system.size()) continue;
        std::swap(system[pivot_row], system[found]);
        const Fraction p = system[pivot_row][col];
        for (auto& x : system[pivot_row]) x = x / p;
        for (std::size_t i = 0; i < system.size(); ++i) {
            if (i == pivot_row || system[i][col].zero()) continue;
            const Fraction f = system[i][col];
            for (int j = 0; j <= n; ++j) system[i][j] = system[i][j] - f * system[pivot_row][j];
        }
        ++pivot_row;
    }

    std::vector<Recomputed> found;
    for (const auto& eq : system) {
        int nonzero = 0, last = -1;
        for (int j = 0; j < n; ++j)
            if (!eq[j].zero()) ++nonzero, last = j;
        if (nonzero == 1) found.push_back({cell_of[last].first, cell_of[last].second, eq[n] / eq[last]});
    }
    return found;
}

std::string describe(const std::vector<Recomputed>& found) {
    std::string s;
    for (const auto& f : found)
        s += "(" + std::to_string(f.r) + "," + std::to_string(f.c) + ")=" + std::to_string(f.value.num) + "/" +
             std::to_string(f.value.den) + " ";
    return s;
}

// Everything a suppressed table must be: its values the table's with their totals, every count
// from 1 to the threshold hidden as primary and nothing else primary, every line with a hidden
// cell holding at least two, and no hidden cell computable from what is shown.
void expect_protected(const Counts& cells, int threshold, const d::SuppressedTable& t) {
    ASSERT_EQ(t.rows, static_cast<int>(cells.size()));
    ASSERT_EQ(t.cols, static_cast<int>(cells.front().size()));
    const Counts grid = with_totals(cells);
    ASSERT_EQ(t.values, grid);
    ASSERT_EQ(t.marks.size(), grid.size());
    for (int r = 0; r <= t.rows; ++r) {
        ASSERT_EQ(t.marks[r].size(), grid[r].size());
        for (int c = 0; c <= t.cols; ++c) {
            const bool small = grid[r][c] >= 1 && grid[r][c] <= threshold;
            EXPECT_EQ(t.marks[r][c] == d::Suppression::primary, small) << "cell " << r << "," << c;
        }
    }
    for (int r = 0; r <= t.rows; ++r) {
        int n = 0;
        for (int c = 0; c <= t.cols; ++c) n += t.hidden(r, c) ? 1 : 0;
        EXPECT_NE(n, 1) << "row " << r;
    }
    for (int c = 0; c <= t.cols; ++c) {
        int n = 0;
        for (int r = 0; r <= t.rows; ++r) n += t.hidden(r, c) ? 1 : 0;
        EXPECT_NE(n, 1) << "column " << c;
    }
    EXPECT_TRUE(attack(t.values, hidden_of(t)).empty()) << describe(attack(t.values, hidden_of(t)));
}

}  // namespace

// Four small counts at the corners of a rectangle already protect each other: only the rule of the
// area applies, zero and five stay shown.
TEST(Suppression, ZeroIsShownOneToFourAreHiddenFiveIsShown) {
    const Counts cells = {{0, 1, 2, 50}, {5, 3, 4, 50}, {60, 70, 80, 90}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(t.marks[0][0], d::Suppression::shown);
    EXPECT_EQ(t.marks[1][0], d::Suppression::shown);
    EXPECT_EQ(hidden_cells(t), (CellSet{{0, 1}, {0, 2}, {1, 1}, {1, 2}}));
    for (const auto& [r, c] : hidden_cells(t)) EXPECT_EQ(t.marks[r][c], d::Suppression::primary);
}

TEST(Suppression, ThresholdZeroHidesNothing) {
    const Counts cells = {{0, 1, 2, 50}, {5, 3, 4, 50}, {60, 70, 80, 90}};
    const auto t = d::suppress(cells, 0);
    EXPECT_EQ(t.values, with_totals(cells));
    EXPECT_TRUE(hidden_cells(t).empty());
}

TEST(Suppression, TheThresholdIsTheAreas) {
    const Counts cells = {{6, 9, 40}, {7, 8, 40}, {10, 50, 50}};
    const auto nine = d::suppress(cells, 9);
    expect_protected(cells, 9, nine);
    EXPECT_EQ(hidden_cells(nine), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_EQ(nine.marks[2][0], d::Suppression::shown);  // 10
    EXPECT_TRUE(hidden_cells(d::suppress(cells)).empty());
}

// One small count in a 3 x 3 table: its row and its column each need a second hidden cell, and
// those two a fourth where they cross, the smallest counts chosen.
TEST(Suppression, ASingleSmallCountIsProtectedByARectangle) {
    const Counts cells = {{2, 20, 30}, {15, 25, 35}, {40, 45, 50}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(hidden_cells(t), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_EQ(t.marks[0][0], d::Suppression::primary);
    EXPECT_EQ(t.marks[0][1], d::Suppression::complementary);
    EXPECT_EQ(t.marks[1][0], d::Suppression::complementary);
    EXPECT_EQ(t.marks[1][1], d::Suppression::complementary);
}

// The cell that closes a cycle is taken before a smaller count that would not: here 33 rather than
// 8 in the first row, four cells hidden where the smaller count would lead to seven.
TEST(Suppression, ClosingACycleComesBeforeTheSmallestCount) {
    const Counts cells = {{7, 33, 8}, {21, 2, 33}, {33, 14, 23}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(hidden_cells(t), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
}

// The attack can succeed: with the small counts alone hidden, the row and the column where one is
// alone give it back, and the rest follows.
TEST(Suppression, TheAttackRecomputesWhatPrimarySuppressionAloneLeaves) {
    const Counts cells = {{2, 3, 30}, {1, 25, 35}, {40, 45, 50}};
    const Counts grid = with_totals(cells);
    Hidden primary_only(grid.size(), std::vector<bool>(grid.front().size(), false));
    for (std::size_t r = 0; r < grid.size(); ++r)
        for (std::size_t c = 0; c < grid[r].size(); ++c) primary_only[r][c] = grid[r][c] >= 1 && grid[r][c] <= 4;

    const auto found = attack(grid, primary_only);
    ASSERT_EQ(found.size(), 3u) << describe(found);
    for (const auto& f : found) {
        SCOPED_TRACE(std::to_string(f.r) + "," + std::to_string(f.c));
        EXPECT_TRUE(primary_only[f.r][f.c]);
        EXPECT_EQ(f.value.den, 1);
        EXPECT_EQ(f.value.num, grid[f.r][f.c]);
    }

    expect_protected(cells, 4, d::suppress(cells));
}

// The attack tells a cell on a cycle from one that is not: a rectangle of hidden cells keeps all
// four, a fifth hidden cell alone in its column is given back.
TEST(Suppression, TheAttackFindsOnlyTheCellOffTheCycle) {
    const Counts cells = {{2, 3, 30}, {4, 1, 35}, {40, 45, 50}};
    const Counts grid = with_totals(cells);
    Hidden h(grid.size(), std::vector<bool>(grid.front().size(), false));
    h[0][0] = h[0][1] = h[1][0] = h[1][1] = true;
    EXPECT_TRUE(attack(grid, h).empty());
    h[0][2] = true;
    const auto found = attack(grid, h);
    ASSERT_EQ(found.size(), 1u) << describe(found);
    EXPECT_EQ(found[0].r, 0);
    EXPECT_EQ(found[0].c, 2);
    EXPECT_EQ(found[0].value.num, 30);
}

// Hundreds of tables of every small shape, mostly small counts with some large ones: nothing small
// shown, nothing hidden computable, and the same answer twice.
TEST(Suppression, RandomTablesAreProtectedAndTheSameEachTime) {
    std::mt19937 rng(20240617);
    std::uniform_int_distribution<int> size(1, 6), small(0, 8), large(9, 120), kind(0, 9), threshold_pick(0, 4);
    const int thresholds[] = {4, 4, 4, 1, 9};
    int with_complements = 0;
    for (int i = 0; i < 400; ++i) {
        const int rows = size(rng), cols = size(rng);
        const int threshold = thresholds[threshold_pick(rng)];
        Counts cells(rows, std::vector<std::int64_t>(cols));
        for (auto& row : cells)
            for (auto& v : row) v = kind(rng) < 8 ? small(rng) : large(rng);
        SCOPED_TRACE("table " + std::to_string(i) + " threshold " + std::to_string(threshold));
        const auto t = d::suppress(cells, threshold);
        expect_protected(cells, threshold, t);
        const auto again = d::suppress(cells, threshold);
        EXPECT_EQ(again.values, t.values);
        EXPECT_EQ(again.marks, t.marks);
        for (const auto& row : t.marks)
            for (auto m : row) with_complements += m == d::Suppression::complementary ? 1 : 0;
        if (testing::Test::HasFailure()) break;
    }
    EXPECT_GT(with_complements, 0);  // the property was tried where it matters
}

// A table the size of the report's largest (50 rows, 15 columns) is done, and protected.
TEST(Suppression, AReportSizedTableIsProtected) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> small(0, 12), kind(0, 9), large(13, 400);
    Counts cells(50, std::vector<std::int64_t>(15));
    for (auto& row : cells)
        for (auto& v : row) v = kind(rng) < 7 ? small(rng) : large(rng);
    expect_protected(cells, 4, d::suppress(cells));
}

// One cell is its own row total, column total and grand total: any of the four shown gives it.
TEST(Suppression, OneByOneHidesTheCellAndEveryTotalOrNothing) {
    const auto three = d::suppress({{3}});
    expect_protected({{3}}, 4, three);
    EXPECT_EQ(hidden_cells(three), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_TRUE(hidden_cells(d::suppress({{0}})).empty());
    EXPECT_TRUE(hidden_cells(d::suppress({{5}})).empty());
}

// A single row repeats itself as the column totals: a small cell and its column total need a
// second column hidden in both.
TEST(Suppression, OneRowTable) {
    const Counts cells = {{3, 10, 12}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(hidden_cells(t), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_TRUE(hidden_cells(d::suppress({{5, 10, 12}})).empty());
}

TEST(Suppression, OneColumnTable) {
    const Counts cells = {{3}, {10}, {12}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(hidden_cells(t), (CellSet{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
    EXPECT_TRUE(hidden_cells(d::suppress({{5}, {10}, {12}})).empty());
}

// A row total can be small while its cells are zero or small: it is hidden as any count.
TEST(Suppression, ASmallTotalIsHiddenToo) {
    const Counts cells = {{0, 3, 0}, {20, 30, 40}, {25, 35, 45}};
    const auto t = d::suppress(cells);
    expect_protected(cells, 4, t);
    EXPECT_EQ(t.marks[0][3], d::Suppression::primary);
    EXPECT_EQ(t.marks[0][0], d::Suppression::shown);
}

TEST(Suppression, AMalformedTableIsADefectOfTheCaller) {
    EXPECT_THROW(d::suppress({}), std::invalid_argument);
    EXPECT_THROW(d::suppress({{}}), std::invalid_argument);
    EXPECT_THROW(d::suppress({{1, 2}, {3}}), std::invalid_argument);
    EXPECT_THROW(d::suppress({{1, 2}, {3, -1}}), std::invalid_argument);
    EXPECT_THROW(d::suppress({{1, 2}}, -1), std::invalid_argument);
    EXPECT_THROW(d::suppress({{INT64_MAX, 1}}), std::invalid_argument);
}
