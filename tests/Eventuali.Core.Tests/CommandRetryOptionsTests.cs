using Eventuali.Cqrs;

namespace Eventuali.Core.Tests;

public sealed class CommandRetryOptionsTests
{
    [Fact]
    public void Waits_double_from_the_base_delay_up_to_the_cap()
    {
        var o = new CommandRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        Assert.Equal([10d, 20d, 40d, 50d, 50d], Enumerable.Range(1, 5).Select(r => o.DelayBefore(r).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(1), new CommandRetryOptions().DelayBefore(1000));
        Assert.Equal(TimeSpan.Zero, new CommandRetryOptions { BaseDelay = TimeSpan.Zero }.DelayBefore(3));
    }

    [Fact]
    public void Invalid_settings_are_refused_naming_the_setting()
    {
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new CommandRetryOptions { MaxAttempts = 0 }).ParamName);
        Assert.Equal("BaseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new CommandRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(-1) }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommandRetryOptions().DelayBefore(0));
    }
}
