// Example 16: enterprise features on a real SQLite file in an HR domain. Personal fields are encrypted per employee
// (attributes on the typed events, a fluent rule for a payroll event we cannot annotate); the raw stored bytes hold
// no name; an inline projection builds the staff directory; the KEK is rotated (add, promote, rewrap); one employee
// is erased (crypto-shredding); the tamper-evident chain, checked against a signed checkpoint exported to a file,
// is intact; an edit made behind the library's back is then found. Every claim printed is checked; any that does
// not hold ends the run with exit code 1.
using EnterpriseFeatures;
using Eventuali;
using Eventuali.Projections;
using Eventuali.Security.Chain;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;
using Eventuali.Typed;
using Microsoft.Data.Sqlite;
using static EnterpriseFeatures.Helpers;

const string PayrollBankDetails = "payroll-bank-details";
var directory = Directory.CreateTempSubdirectory("eventuali-example-16-");
var file = Path.Combine(directory.FullName, "hr.db");
var url = "sqlite://" + file;
try
{
    var types = new EventTypeRegistry().RegisterAssembly(typeof(Employee).Assembly);
    await using var store = await EventStore.CreateAsync(url, new EventStoreOptions { Types = types });
    var keys = LocalKeyFile.Create(Path.Combine(directory.FullName, "keys.json"));
    var firstKek = keys.ActiveKeyId;
    Console.WriteLine($"Store: {url}");
    Console.WriteLine($"Key file: {keys.Path} (KEK {firstKek}, checkpoint signing key {keys.SigningKeyId})");

    // Typed events say what is personal with attributes; the payroll system's events arrive as JSON we do not own.
    var policy = new EncryptionPolicy()
        .Add<EmployeeHired>()
        .Add<SalaryChanged>()
        .Add<AddressChanged>()
        .ForEventType(PayrollBankDetails).SubjectFrom("employeeId").Encrypt("iban", "accountHolder");
    var encryption = FieldEncryption.Create(store, new FieldEncryptionOptions(keys) { Policy = policy });
    var hr = encryption.Store;

    // The read model is registered before the first append, so it covers every event.
    await hr.GetFeature<IInlineProjectionStore>()!.AddInlineProjectionAsync(new EmployeeDirectory());

    // The tamper-evident chain is extended in the background, as an application would host it.
    using var stopSealing = new CancellationTokenSource();
    var sealing = EventChainMaintenance.RunAsync(store, keys, new EventChainMaintenanceOptions(TimeSpan.FromMilliseconds(200), TimeSpan.FromHours(1)), cancellationToken: stopSealing.Token);
    try
    {
        // 1. Two employees, a raise, a move, bank details from payroll.
        var ana = Employee.Hire("E-1001", "Ana Pereira", "Finance", "Controller", new DateOnly(2021, 4, 1), 61_000m);
        ana.ChangeSalary(64_500m, "annual review");
        ana.MoveTo("7 Rua das Flores, Porto");
        await hr.SaveAsync(ana);
        var bruno = Employee.Hire("E-1002", "Bruno Okafor", "Engineering", "Platform engineer", new DateOnly(2023, 9, 18), 72_000m);
        bruno.MoveTo("14 Canal Street, Manchester");
        await hr.SaveAsync(bruno);
        foreach (var (id, iban, holder) in new[] { ("E-1001", "PT50000201231234567890154", "Ana Pereira"), ("E-1002", "GB33BUKB20201555555555", "Bruno Okafor") })
        {
            var json = $$"""{"employeeId":"{{id}}","iban":"{{iban}}","accountHolder":"{{holder}}"}""";
            await hr.AppendAsync("payroll-" + id, ExpectedVersion.NoStream, [EventData.Json(PayrollBankDetails, json)]);
        }

        Console.WriteLine($"1. hired E-1001 and E-1002 ({ana.Version} and {bruno.Version} events), bank details of both from payroll; log head {await store.GetHeadPositionAsync()}");

        // 2. The stored bytes (read beneath the interceptor) against what a reader sees.
        var raw = (await ReadStreamAsync(store, "employee-E-1002"))[0];
        var read = (await ReadStreamAsync(hr, "employee-E-1002"))[0];
        Check(!Text(raw).Contains("Bruno Okafor", StringComparison.Ordinal) && Header(raw, EncryptionHeaders.Encrypted) == "fullName",
            $"2. stored employee-hired of E-1002 (encrypted: {Header(raw, EncryptionHeaders.Encrypted)}) holds no name: {Abbreviate(Text(raw))}");
        Check(Text(read).Contains("\"fullName\":\"Bruno Okafor\"", StringComparison.Ordinal), $"   read through field encryption: {Text(read)}");
        var rawBank = (await ReadStreamAsync(store, "payroll-E-1002"))[0];
        Check(!Text(rawBank).Contains("GB33BUKB", StringComparison.Ordinal) && Header(rawBank, EncryptionHeaders.Encrypted) == "iban,accountHolder",
            $"   stored payroll event (fluent rule) encrypts {Header(rawBank, EncryptionHeaders.Encrypted)}; the IBAN is not in its bytes");

        // 3. The inline projection's read model.
        var staff = await EmployeeDirectory.ReadAsync(store);
        Check(staff.Count == 2 && staff["E-1001"] == ("Finance", "Controller", 2) && staff["E-1002"] == ("Engineering", "Platform engineer", 1),
            $"3. staff directory (inline projection, no personal field): {string.Join("; ", staff.Select(s => $"{s.Key} {s.Value.Department}/{s.Value.Title}, {s.Value.SalaryReviews} salary review(s)"))}");

        // 4. KEK rotation: add, promote, new data under the new KEK, old data still readable, rewrap, retire the old KEK.
        var newKek = keys.AddKey();
        Check(keys.ActiveKeyId == firstKek, $"4. added KEK {newKek}; {firstKek} stays active until the new one is promoted");
        keys.Promote(newKek);
        var chloe = Employee.Hire("E-1003", "Chloe Martin", "People", "HR partner", new DateOnly(2026, 1, 5), 55_000m);
        await hr.SaveAsync(chloe);
        var report = await encryption.ReportAsync();
        Check(report.ActiveKeyId == newKek && report.DataKeys.Single(k => k.SubjectId == "E-1003").KekId == newKek && report.DataKeys.Where(k => k.SubjectId != "E-1003").All(k => k.KekId == firstKek),
            $"   promoted {newKek}: E-1003 (hired now) has its data key wrapped by {newKek}; E-1001 and E-1002 still by {firstKek}");
        var freshBefore = FieldEncryption.Create(store, encryption.Options); // an empty key cache: every key is unwrapped again
        Check((await freshBefore.Store.LoadAsync<Employee>("E-1001"))?.FullName == "Ana Pereira", "   old data still reads (a fresh process unwraps E-1001's key with the old KEK): Ana Pereira");
        var brunoKeyBefore = (await encryption.Keys.GetDataKeysAsync("E-1002"))[0].WrappedKey.ToArray();
        var rewrap = await encryption.RewrapAsync();
        report = await encryption.ReportAsync();
        Check(rewrap.Rewrapped == 2 && rewrap.AlreadyCurrent == 1 && report.DataKeys.All(k => k.KekId == newKek),
            $"   rewrap: {rewrap.Rewrapped} data keys re-wrapped, {rewrap.AlreadyCurrent} already under {newKek}; every key is now wrapped by the active KEK");
        keys.Remove(firstKek);
        var freshAfter = FieldEncryption.Create(store, encryption.Options);
        var names = new List<string>();
        foreach (var id in new[] { "E-1001", "E-1002", "E-1003" })
        {
            names.Add((await freshAfter.Store.LoadAsync<Employee>(id))?.FullName ?? "(missing)");
        }

        Check(keys.Keys.Count == 1 && names.SequenceEqual(["Ana Pereira", "Bruno Okafor", "Chloe Martin"]),
            $"   removed the old KEK from the key file; a fresh process still reads {string.Join(", ", names)}");
        var brunoKeyAfter = (await encryption.Keys.GetDataKeysAsync("E-1002"))[0].WrappedKey.ToArray();

        // 5. A signed checkpoint of the chain, exported to a file kept outside the database.
        var checkpoint = await EventChainCheckpoints.CreateAsync(store, keys) ?? throw new InvalidOperationException("the log is empty: nothing to sign");
        var checkpointFile = Path.Combine(directory.FullName, "checkpoint.json");
        await EventChainCheckpointFile.WriteAsync(checkpoint, checkpointFile);
        var exported = await EventChainCheckpointFile.ReadAsync(checkpointFile);
        Check(exported.Position == checkpoint.Position && exported.ChainHash.Span.SequenceEqual(checkpoint.ChainHash.Span) && EventChainCheckpoints.VerifySignature(exported, await keys.GetPublicKeyAsync()),
            $"5. signed checkpoint at position {exported.Position} (chain hash {Convert.ToHexStringLower(exported.ChainHash.Span)[..16]}...) exported to {Path.GetFileName(checkpointFile)}; its signature verifies");

        await ErasureSteps.RunAsync(store, encryption, file, brunoKeyBefore, brunoKeyAfter);

        // 7. The chain, against the exported checkpoint: the erasure destroyed keys, not history.
        await stopSealing.CancelAsync();
        await sealing;
        var head = await store.GetHeadPositionAsync();
        var verifier = await EventChainVerifier.CreateAsync(store, keys);
        await new EventChainSealer(store).SealAsync();
        var chain = await verifier.VerifyAsync([await EventChainCheckpointFile.ReadAsync(checkpointFile)]);
        Check(chain.IsIntact && chain.FindingCount == 0 && chain.EventsChecked == head && chain.SealedHead == head && chain.CheckpointsChecked == 2 && verifier.ChecksSignatures,
            $"7. chain intact: {chain.EventsChecked} events checked up to position {chain.SealedHead}, {chain.CheckpointsChecked} checkpoints (stored and file, signatures checked), {chain.FindingCount} findings");
        Console.WriteLine($"   the same from the command line: eventuali verify --chain --checkpoint {checkpointFile} --key-file {keys.Path} -d {url}");

        var anaHired = (await ReadStreamAsync(store, "employee-E-1001"))[0].Position;
        await TamperCheck.RunAsync(verifier, exported, file, anaHired);
    }
    finally
    {
        await stopSealing.CancelAsync();
        await sealing;
    }

    Console.WriteLine("Example 16 finished: every claim above was checked.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 16 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}
