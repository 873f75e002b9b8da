using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Automation;

public sealed class TransferProgressTests
{
    [Fact]
    public async Task Bytes_read_through_the_counting_stream_are_published_once_per_interval_and_at_the_end()
    {
        var time = new FakeTimeProvider();
        var published = new List<(long Bytes, long? Total)>();
        var progress = new TransferProgress(time, (bytes, total) => published.Add((bytes, total)), 100_000);
        await using var source = progress.Counting(new MemoryStream(new byte[100_000]));
        var buffer = new byte[10_000];

        await source.ReadExactlyAsync(buffer);          // first count: published at once
        await source.ReadExactlyAsync(buffer);          // within the interval: held back
        time.Advance(TransferProgress.Interval);
        await source.ReadExactlyAsync(buffer);          // the interval has passed: published
        while (await source.ReadAsync(buffer) > 0)
        {
        }
        progress.Complete();

        Assert.Equal([(10_000L, (long?)100_000), (30_000L, 100_000), (100_000L, 100_000)], published);
    }

    [Fact]
    public void Written_bytes_count_too_and_an_unknown_total_ends_as_the_count()
    {
        var published = new List<(long Bytes, long? Total)>();
        var progress = new TransferProgress(new FakeTimeProvider(), (bytes, total) => published.Add((bytes, total)), null);
        using var destination = progress.Counting(new MemoryStream());

        destination.Write(new byte[500]);
        progress.Complete();

        Assert.Equal([(500L, (long?)null), (500L, 500)], published);
    }
}
