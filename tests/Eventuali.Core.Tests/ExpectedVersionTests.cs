namespace Eventuali.Core.Tests;

public sealed class ExpectedVersionTests
{
    [Fact]
    public void Raw_values_and_flags()
    {
        Assert.Equal((-1L, true, false, false, false), Flags(ExpectedVersion.Any));
        Assert.Equal((-2L, false, true, false, false), Flags(ExpectedVersion.StreamExists));
        Assert.Equal((0L, false, false, true, true), Flags(ExpectedVersion.NoStream));
        Assert.Equal((5L, false, false, false, true), Flags(ExpectedVersion.Exact(5)));
        Assert.Equal(ExpectedVersion.NoStream, ExpectedVersion.Exact(0));
        Assert.Equal(ExpectedVersion.NoStream, default);
        Assert.NotEqual(ExpectedVersion.Exact(1), ExpectedVersion.Exact(2));
    }

    [Fact]
    public void Exact_refuses_negative_versions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedVersion.Exact(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedVersion.Exact(long.MinValue));
    }

    [Theory]
    [InlineData(-1L, null, true)]
    [InlineData(-1L, 7L, true)]
    [InlineData(-2L, null, false)]
    [InlineData(-2L, 1L, true)]
    [InlineData(0L, null, true)]
    [InlineData(0L, 1L, false)]
    [InlineData(3L, 3L, true)]
    [InlineData(3L, 2L, false)]
    [InlineData(3L, 4L, false)]
    [InlineData(3L, null, false)]
    public void Satisfaction_rules(long value, long? actual, bool satisfied)
    {
        var expected = value switch
        {
            -1 => ExpectedVersion.Any,
            -2 => ExpectedVersion.StreamExists,
            _ => ExpectedVersion.Exact(value),
        };
        Assert.Equal(satisfied, expected.IsSatisfiedBy(actual));
    }

    [Fact]
    public void ToString_reads_well_in_errors()
    {
        Assert.Equal("any", ExpectedVersion.Any.ToString());
        Assert.Equal("stream-exists", ExpectedVersion.StreamExists.ToString());
        Assert.Equal("no-stream", ExpectedVersion.NoStream.ToString());
        Assert.Equal("12", ExpectedVersion.Exact(12).ToString());
    }

    [Fact]
    public void Concurrency_error_names_stream_expected_and_actual()
    {
        var missing = new ConcurrencyException("s-1", ExpectedVersion.StreamExists, null);
        Assert.Equal("Concurrency conflict on stream 's-1': expected version stream-exists, actual version none (stream does not exist).", missing.Message);
        var stale = new ConcurrencyException("s-1", ExpectedVersion.Exact(2), 5);
        Assert.Equal("Concurrency conflict on stream 's-1': expected version 2, actual version 5.", stale.Message);
        Assert.Equal(("s-1", ExpectedVersion.Exact(2), (long?)5), (stale.StreamId, stale.ExpectedVersion, stale.ActualVersion));
        Assert.IsAssignableFrom<EventualiException>(stale);
    }

    private static (long, bool, bool, bool, bool) Flags(ExpectedVersion v) => (v.Value, v.IsAny, v.IsStreamExists, v.IsNoStream, v.IsExact);
}
