import {
  apiFilters,
  clearFilters,
  dayStart,
  hasFilters,
  listQuery,
  parseMediaSearch,
  toggleType,
  withFilter,
} from "./media-search";

const PRODUCT = "0b5a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d";
const TENANT = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

describe("the media page's URL state", () => {
  it("keeps what is valid and drops the rest, so a bad link still opens", () => {
    expect(
      parseMediaSearch({
        type: ["still", "bogus", "glb"],
        status: "completed",
        category: "  Kugellager ",
        product: PRODUCT.toUpperCase(),
        order: "not-a-uuid",
        from: "2025-02-30x",
        to: "2025-03-01",
        q: "  81113-TV ",
        sort: "name",
        asset: "42",
      }),
    ).toEqual({ type: ["still", "glb"], status: "completed", category: "Kugellager", product: PRODUCT, to: "2025-03-01", q: "81113-TV", sort: "name" });
  });

  it("reads a numeric search (the router parses q=81113 as a number) and comma-separated types", () => {
    expect(parseMediaSearch({ q: 81113, type: "glb,thumbnail" })).toEqual({ q: "81113", type: ["thumbnail", "glb"] });
  });

  it("leaves the defaults out of the URL: newest first, no types", () => {
    expect(parseMediaSearch({ sort: "newest", type: [] })).toEqual({});
    expect(parseMediaSearch({ status: "exploded", sort: "random" })).toEqual({});
  });

  it("round-trips through the router's serialisation", () => {
    const state = { type: ["turntable" as const], lagertyp: "6204", q: "811", sort: "oldest" as const, asset: PRODUCT };
    expect(parseMediaSearch(JSON.parse(JSON.stringify(state)) as Record<string, unknown>)).toEqual(state);
  });

  it("toggles asset types in a fixed order and closes the preview on a filter change", () => {
    let search = toggleType({ asset: PRODUCT }, "glb");
    expect(search).toEqual({ type: ["glb"] });
    search = toggleType(search, "still");
    expect(search.type).toEqual(["still", "glb"]);
    search = toggleType(toggleType(search, "still"), "glb");
    expect(search).toEqual({});
    expect(withFilter({ q: "x", asset: PRODUCT }, "q", undefined)).toEqual({});
  });

  it("clears the filters but keeps the sort", () => {
    const search = { type: ["still" as const], q: "a", tenant: TENANT, sort: "name" as const };
    expect(hasFilters(search)).toBe(true);
    expect(clearFilters(search)).toEqual({ sort: "name" });
    expect(hasFilters({ sort: "name", asset: PRODUCT })).toBe(false);
  });

  it("names the API's filters; the 'to' day counts whole (created before the next midnight)", () => {
    expect(apiFilters({ type: ["still"], status: "failed", category: "K", lagertyp: "L", product: PRODUCT, from: "2025-01-31", to: "2025-01-31", q: "6204" })).toEqual({
      asset_type: ["still"],
      render_status: "failed",
      category_key: "K",
      lagertyp: "L",
      product_id: PRODUCT,
      created_from: new Date(2025, 0, 31).toISOString(),
      created_to: new Date(2025, 1, 1).toISOString(),
      q: "6204",
    });
    expect(dayStart("2024-12-31", 1)).toBe(new Date(2025, 0, 1).toISOString());
  });

  it("sends a tenant only for a global admin's All tenants, and the sort always", () => {
    expect(listQuery({ tenant: TENANT }, true)).toEqual({ sort: "newest", tenant_id: TENANT });
    expect(listQuery({ tenant: TENANT, sort: "name" }, false)).toEqual({ sort: "name" });
  });
});
