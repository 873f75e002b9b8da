namespace eNMS.Core.Automation.Execution;

/// <summary>Turns the byte counts a copy goes through into a few events a second: a large image moves in thousands of
/// 32 KiB writes, and a browser needs to see it advance, not every write.</summary>
public sealed class TransferProgress(TimeProvider time, Action<long, long?> publish, long? total)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private long _lastPublished = long.MinValue;

    public long? Total { get; set; } = total;

    public long Bytes { get; private set; }

    /// <summary>Adds what just went through; publishes when the interval has passed since the last event.</summary>
    public void Advance(long count)
    {
        Bytes += count;
        var now = time.GetTimestamp();
        if (_lastPublished == long.MinValue || time.GetElapsedTime(_lastPublished, now) >= Interval)
        {
            _lastPublished = now;
            publish(Bytes, Total);
        }
    }

    /// <summary>The last event, with the final count.</summary>
    public void Complete() => publish(Bytes, Total ?? Bytes);

    /// <summary>A stream that counts what is read from or written to <paramref name="inner"/> into this progress.</summary>
    public Stream Counting(Stream inner) => new CountingStream(inner, this);

    private sealed class CountingStream(Stream inner, TransferProgress progress) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            progress.Advance(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            progress.Advance(read);
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            progress.Advance(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            progress.Advance(buffer.Length);
        }

        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
    }
}
