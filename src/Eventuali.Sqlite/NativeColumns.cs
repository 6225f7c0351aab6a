using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// Column getters called straight into the e_sqlite3 library that SQLitePCLRaw loads. They run
/// several times per row of every read; through SQLitePCLRaw each call also takes and releases a
/// SafeHandle reference and enters a full P/Invoke frame, which profiling showed to be a fifth of
/// the cost of reading the log. These functions are short and never block, so they skip the GC
/// transition. Statement lifetime stays with SQLitePCLRaw's handle (see <see cref="RawStatement"/>).
/// </summary>
internal static partial class NativeColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>
    /// True when SQLitePCLRaw runs on the same e_sqlite3 library these imports load (the
    /// Microsoft.Data.Sqlite default); otherwise every read goes through SQLitePCLRaw.
    /// </summary>
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            return raw.GetNativeLibraryName() == Library && sqlite3_libversion_number() == raw.sqlite3_libversion_number();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_libversion_number();

    public static unsafe ReadOnlySpan<byte> Bytes(IntPtr stmt, int column)
    {
        var p = sqlite3_column_blob(stmt, column);
        return p == IntPtr.Zero ? default : new ReadOnlySpan<byte>((void*)p, sqlite3_column_bytes(stmt, column));
    }

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long sqlite3_column_int64(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int sqlite3_column_type(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial IntPtr sqlite3_column_blob(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_column_bytes(IntPtr stmt, int column);
}
