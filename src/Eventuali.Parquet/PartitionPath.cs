using System.Globalization;
using System.Text;

namespace Eventuali.Parquet;

/// <summary>Hive-style partition directories <c>date=YYYY-MM-DD/category=C</c>, as Spark and DuckDB read them.</summary>
internal static class PartitionPath
{
    /// <summary>Hive's name for a missing partition value (a stream id without a '-' has no category); Spark reads it as null.</summary>
    public const string NoCategory = "__HIVE_DEFAULT_PARTITION__";

    public static string Of(DateOnly date, string category)
        => "date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + Path.DirectorySeparatorChar + "category=" + Escape(category);

    /// <summary>Escapes what a directory name or a Hive partition value cannot hold as %XX (Hive's own escaping).</summary>
    public static string Escape(string category)
    {
        if (category.Length == 0)
        {
            return NoCategory;
        }

        StringBuilder? sb = null;
        for (var i = 0; i < category.Length; i++)
        {
            var c = category[i];
            var safe = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || c == '.';
            if (!safe)
            {
                sb ??= new StringBuilder(category, 0, i, category.Length + 8);
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? category;
    }
}
