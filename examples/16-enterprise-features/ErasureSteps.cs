using System.Text.Json;
using Eventuali;
using Eventuali.Security.Encryption;
using Eventuali.Typed;
using static EnterpriseFeatures.Helpers;

namespace EnterpriseFeatures;

/// <summary>Step 6: E-1002 asks to be forgotten. The keys are destroyed; the events stay, and read as redacted.</summary>
internal static class ErasureSteps
{
    public static async Task RunAsync(IEventStore store, FieldEncryption encryption, string file, byte[] wrappedKeyBeforeRewrap, byte[] wrappedKeyAfterRewrap)
    {
        var hr = encryption.Store;
        var erasure = await encryption.EraseSubjectAsync("E-1002");
        Check(erasure.KeysDestroyed == 1 && erasure.Streams.Order(StringComparer.Ordinal).SequenceEqual(["employee-E-1002", "payroll-E-1002"]),
            $"6. erased E-1002: {erasure.KeysDestroyed} data key destroyed; streams that held its data: {string.Join(", ", erasure.Streams)}");

        // The erased employee's events are still there; their personal fields read as the redaction marker.
        var hired = (await ReadStreamAsync(hr, "employee-E-1002"))[0];
        Check(Text(hired).Contains($"\"fullName\":\"{EncryptionHeaders.RedactionMarker}\"", StringComparison.Ordinal) && Header(hired, EncryptionHeaders.Redacted) == "fullName",
            $"   employee-E-1002 still reads, redacted ({EncryptionHeaders.Redacted}: {Header(hired, EncryptionHeaders.Redacted)}): {Text(hired)}");
        var bruno = await hr.LoadAsync<Employee>("E-1002") ?? throw new InvalidOperationException("E-1002's stream is gone");
        Check(bruno.FullName == EncryptionHeaders.RedactionMarker && bruno.Address == EncryptionHeaders.RedactionMarker && bruno.AnnualSalary is null && bruno.Department == "Engineering" && bruno.Version == 3,
            $"   loaded as an aggregate: name {bruno.FullName}, address {bruno.Address}, salary {(bruno.AnnualSalary is null ? "null" : "?")}, department {bruno.Department} (not personal), version {bruno.Version}");
        var bank = (await ReadStreamAsync(hr, "payroll-E-1002"))[0];
        Check(Header(bank, EncryptionHeaders.Redacted) == "iban,accountHolder", $"   payroll-E-1002: {Text(bank)}");

        // Another employee is untouched.
        var ana = await hr.LoadAsync<Employee>("E-1001") ?? throw new InvalidOperationException("E-1001's stream is gone");
        Check(ana.FullName == "Ana Pereira" && ana.AnnualSalary == 64_500m && ana.Address == "7 Rua das Flores, Porto",
            $"   E-1001 still reads in full: {ana.FullName}, {ana.Address}, salary {ana.AnnualSalary}");

        // The fact of the erasure is in the log, and the projection dropped what it held about the subject.
        var facts = await ReadStreamAsync(hr, DataSubjectErasedFact.StreamId);
        using (var fact = JsonDocument.Parse(facts[0].Data))
        {
            Check(facts.Count == 1 && facts[0].EventType == DataSubjectErasedFact.EventType && fact.RootElement.GetProperty("subjectId").GetString() == "E-1002",
                $"   {DataSubjectErasedFact.StreamId} holds {facts[0].EventType} at position {facts[0].Position}: {Text(facts[0])}");
        }

        var staff = await EmployeeDirectory.ReadAsync(store);
        Check(staff.Keys.SequenceEqual(["E-1001", "E-1003"]), $"   the staff directory dropped E-1002 on that fact: {string.Join(", ", staff.Keys)}");

        // New personal data about the erased subject is refused.
        var refused = false;
        try
        {
            await hr.AppendAsync("employee-E-1002", ExpectedVersion.Any, [EventData.Json("address-changed", """{"employeeId":"E-1002","address":"1 New Road"}""")]);
        }
        catch (DataSubjectErasedException)
        {
            refused = true;
        }

        Check(refused && await store.GetStreamVersionAsync("employee-E-1002") == 3, "   a new address for E-1002 is refused (DataSubjectErasedException); the stream stays at version 3");

        // The raw file and its write-ahead log: no plaintext of the erased employee, no trace of their wrapped key.
        var bytes = RawFileAndWal(file);
        string[] plaintext = ["Bruno Okafor", "14 Canal Street", "GB33BUKB20201555555555"];
        Check(Holds(bytes, "employee-E-1002") && Holds(bytes, "E-1003"),
            $"   scanned {bytes.Length:N0} bytes of {Path.GetFileName(file)} and its WAL: the clear stream ids are there (the scan sees the data)");
        Check(plaintext.All(p => !Holds(bytes, p)), $"   ... and none of: {string.Join(", ", plaintext)}");
        Check(!Holds(bytes, wrappedKeyBeforeRewrap) && !Holds(bytes, wrappedKeyAfterRewrap),
            $"   ... nor E-1002's wrapped data key ({wrappedKeyAfterRewrap.Length} bytes, as wrapped by either KEK)");
    }
}
