using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Eventuali.Cli.Tests;

public sealed class SchemaCommandTests
{
    private const string Db = "sqlite://shop.db";
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "Eventuali.SampleDomain.dll");

    private static Task<CliProcess.Result> Run(TempDirectory dir, params string[] args) => CliProcess.RunAsync(dir.Path, args);

    private static async Task<TempDirectory> WithSnapshotAsync()
    {
        var dir = new TempDirectory();
        var snapshot = await Run(dir, "schema", "snapshot", "--assembly", Assembly);
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.Equal("Recorded 7 event type(s) in eventuali.schema.json.", snapshot.Out.Trim());
        return dir;
    }

    private static void EditSchema(TempDirectory dir, Action<JsonObject> edit)
    {
        var path = Path.Combine(dir.Path, "eventuali.schema.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    private static JsonObject Type(JsonObject root, string name) => root["types"]!.AsArray().Single(t => (string)t!["name"]! == name)!.AsObject();

    [Fact]
    public async Task The_snapshot_records_names_types_versions_fields_aliases_and_upcasts_and_the_unchanged_code_passes()
    {
        using var dir = await WithSnapshotAsync();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "eventuali.schema.json")))!.AsObject();
        Assert.Equal(1, (int)root["formatVersion"]!);
        var v1 = Type(root, "item-added");
        Assert.Equal("Eventuali.SampleDomain.ItemAddedV1", (string)v1["clrType"]!);
        Assert.Equal("item-added-v2", (string)v1["upcastsTo"]!);
        Assert.Equal(2, (int)Type(root, "item-added-v2")["version"]!);
        Assert.Equal("string|integer", (string)Type(root, "item-added-v2")["fields"]!.AsArray().Single(f => (string)f!["name"]! == "quantity")!["type"]!);
        Assert.Equal("cart-closed", (string)Type(root, "cart-checked-out")["aliases"]![0]!);
        Assert.NotNull(Type(root, "cart-opened")["jsonSchema"]);

        var check = await Run(dir, "schema", "check", "--assembly", Assembly);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith("schema check: 0 breaking, 0 warning(s), 0 compatible change(s)", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retyped_or_removed_field_is_breaking_with_the_upcaster_to_write()
    {
        using var dir = await WithSnapshotAsync();
        EditSchema(dir, root =>
        {
            var fields = Type(root, "item-added-v2")["fields"]!.AsArray();
            fields.Single(f => (string)f!["name"]! == "quantity")!["type"] = "string";
            fields.Add(new JsonObject { ["name"] = "discount", ["type"] = "number", ["clrType"] = "Decimal" });
        });

        var check = await Run(dir, "schema", "check", "--assembly", Assembly);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("schema check: 1 breaking", check.Out);
        Assert.Contains("BREAKING item-added-v2: field 'quantity' retyped from string to string|integer, field 'discount' (number) removed without an upcaster", check.Out);
        Assert.Contains("suggestion: [EventType(\"item-added-v2\", Version = 2)] record ItemAddedV2(String Sku, Int32 Quantity, Decimal UnitPrice, Decimal Discount); mark ItemAdded [EventType(\"item-added-v3\", Version = 3)]", check.Out);
        Assert.Contains("types.AddUpcaster<ItemAddedV2, ItemAdded>(old => new ItemAdded(old.Sku, /* quantity */ default, old.UnitPrice));", check.Out);
    }

    [Fact]
    public async Task A_renamed_type_without_an_alias_is_breaking_and_one_with_an_alias_is_not()
    {
        using var dir = await WithSnapshotAsync();
        EditSchema(dir, root =>
        {
            Type(root, "cart-opened")["name"] = "cart-started";
            Type(root, "cart-checked-out")["name"] = "cart-closed"; // the code has this alias
        });

        var check = await Run(dir, "schema", "check", "--assembly", Assembly);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("BREAKING cart-started: renamed to 'cart-opened' (CartOpened) without an alias", check.Out);
        Assert.Contains("suggestion: types.AddAlias<CartOpened>(\"cart-started\");", check.Out);
        Assert.Contains("ok       cart-closed: renamed to 'cart-checked-out'; stored 'cart-closed' events are read through its alias.", check.Out);
    }

    [Fact]
    public async Task Stored_events_are_checked_against_code_and_file_and_nothing_in_the_store_changes()
    {
        using var dir = await WithSnapshotAsync();
        Assert.Equal(0, (await Run(dir, "generate", "--assembly", Assembly, "--domain", "shop", "--streams", "20", "--events", "6", "-d", Db)).ExitCode);
        var clean = await Run(dir, "schema", "check", "--assembly", Assembly, "-d", Db);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("stored events in sqlite://shop.db checked in", clean.Out);

        await Append(dir, "cart-x", "coupon-applied", """{"code":"SAVE10"}""");
        await Append(dir, "cart-x", "item-added-v2", """{"sku":"mug","quantity":1,"unitPrice":3,"giftWrap":true}""");
        await Append(dir, "cart-old", "item-added", """{"sku":"mug","quantity":"two"}""");
        var before = Hash(dir);

        var check = await Run(dir, "schema", "check", "--assembly", Assembly, "-d", Db);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("BREAKING coupon-applied: 1 stored event(s) of type 'coupon-applied' have no registered type (missing type)", check.Out);
        Assert.Contains("BREAKING item-added-v2: 1 stored event(s) of type 'item-added-v2' carry field 'giftWrap', which ItemAdded no longer has", check.Out);
        Assert.Contains("BREAKING item-added: 1 stored event(s) of type 'item-added' cannot be read by Eventuali.SampleDomain.ItemAddedV1; first at position", check.Out);

        var upcast = await Run(dir, "schema", "upcast", "--dry-run", "--assembly", Assembly, "-d", Db);
        Assert.True(upcast.ExitCode == 1, upcast.ToString());
        Assert.Contains("upcast dry run: 1 stored event(s) of item-added read through their upcasters; 1 failed; nothing written.", upcast.Out);
        Assert.Contains("FAILED position", upcast.Out);
        Assert.Contains("(stream 'cart-old' version 1, item-added)", upcast.Out);
        Assert.Equal(before, Hash(dir));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_naming_it()
    {
        using var dir = await WithSnapshotAsync();
        var schemaPath = Path.Combine(dir.Path, "eventuali.schema.json");
        EditSchema(dir, root => root["formatVersion"] = 2);
        var newer = File.ReadAllText(schemaPath);
        var check = await Run(dir, "schema", "check", "--assembly", Assembly);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal("eventuali: The schema file 'eventuali.schema.json' has format version 2, written by a newer eventuali; this one reads format 1. Update eventuali.", check.Error.Trim());
        Assert.Equal(newer, File.ReadAllText(schemaPath));

        var noAssembly = await Run(dir, "schema", "snapshot", "--assembly", "bin/Nope.dll");
        Assert.Equal(2, noAssembly.ExitCode);
        Assert.Contains("The assembly 'bin/Nope.dll' does not exist", noAssembly.Error);
        Assert.Equal(newer, File.ReadAllText(schemaPath));

        var noFile = await Run(dir, "schema", "check", "--assembly", Assembly, "--schema", "missing.json");
        Assert.Equal(2, noFile.ExitCode);
        Assert.Contains("The schema file 'missing.json' does not exist", noFile.Error);

        var notDry = await Run(dir, "schema", "upcast", "--assembly", Assembly, "-d", Db);
        Assert.Equal(2, notDry.ExitCode);
        Assert.Contains("only runs with --dry-run", notDry.Error);
        Assert.False(File.Exists(Path.Combine(dir.Path, "shop.db")));
    }

    private static async Task Append(TempDirectory dir, string stream, string type, string json)
    {
        var r = await Run(dir, "append", "-d", Db, "-s", stream, "-t", type, "--data", json);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    private static string Hash(TempDirectory dir) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir.Path, "shop.db"))));
}
