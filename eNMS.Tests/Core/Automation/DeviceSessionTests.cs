using System.Reflection;
using System.Runtime.CompilerServices;
using eNMS.Core.Automation.Execution;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Tests.Core.Automation;

/// <summary>The lease a handler gets from <c>context.ConnectAsync</c> is the driver: every operation reaches the leased
/// driver (its own answers, not the interface's defaults), and disposing it returns the driver without closing it.</summary>
public sealed class DeviceSessionTests
{
    private static readonly ConfigShape Shape = ConfigShape.EndsWith("end");
    private static readonly FileChecksum Checksum = new("md5", "d41d8cd98f00b204e9800998ecf8427e");

    [Fact]
    public async Task Every_driver_member_reaches_the_leased_driver_defaults_included()
    {
        var driver = new RecordingDriver();
        await using var session = new DeviceSession(new DriverLease(driver, new SemaphoreSlim(0, 1)), new Slot());
        var members = typeof(IDeviceDriver).GetMethods().Where(m => m.Name != nameof(IAsyncDisposable.DisposeAsync)).ToList();
        Assert.True(members.Count >= 17, $"only {members.Count} members of IDeviceDriver found");
        foreach (var member in members)
        {
            driver.Calls.Clear();
            var result = member.Invoke(session, member.GetParameters().Select(Argument).ToArray());
            if (result is Task task)
            {
                await task;
            }
            Assert.Equal(new[] { Signature(member) }, driver.Calls);
        }

        // The members with a default body in the interface answer as the driver does, not as the default would.
        IDeviceDriver asDriver = session;
        Assert.Same(Shape, asDriver.RunningConfigShape);
        Assert.Equal("the platform keeps no rollback", await asDriver.RollbackUnavailableAsync(default));
        Assert.Same(Checksum, await asDriver.FileChecksumAsync("/flash/image.bin", default));
        Assert.Equal(("lab-r1", DriverCapabilities.Rollback, true, "transcript"),
            (session.Target.Name, session.Capabilities, session.IsUsable, session.Transcript));
    }

    [Fact]
    public async Task Disposing_returns_the_driver_and_the_platform_slot_without_closing_the_connection()
    {
        var driver = new RecordingDriver();
        var gate = new SemaphoreSlim(0, 1);
        var slot = new Slot();
        var session = new DeviceSession(new DriverLease(driver, gate), slot);
        Assert.Equal(0, gate.CurrentCount);

        await session.DisposeAsync();

        Assert.Equal(1, gate.CurrentCount);
        Assert.True(slot.Disposed);
        Assert.DoesNotContain(nameof(IAsyncDisposable.DisposeAsync), driver.Calls);
        // A second dispose must not release the device twice.
        await session.DisposeAsync();
        Assert.Equal(1, gate.CurrentCount);
    }

    private static string Signature(MethodInfo method) =>
        $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static object? Argument(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var t when t == typeof(string) => "x",
        var t when t == typeof(CancellationToken) => CancellationToken.None,
        var t when t == typeof(IEnumerable<string>) => new[] { "x" },
        var t when t == typeof(IReadOnlyList<CliAnswer>) => Array.Empty<CliAnswer>(),
        var t when t == typeof(ConfigLoadMode) => ConfigLoadMode.Merge,
        var t when t == typeof(TimeSpan?) => TimeSpan.FromMinutes(1),
        var t => throw new InvalidOperationException($"no test argument for {t}"),
    };

    private sealed class Slot : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Records each member called (name and parameter types, as <see cref="Signature"/> writes them).</summary>
    private sealed class RecordingDriver : IDeviceDriver
    {
        public List<string> Calls { get; } = [];

        private T Record<T>(T value, string types = "", [CallerMemberName] string member = "")
        {
            Calls.Add($"{member}({types})");
            return value;
        }

        public DeviceTarget Target => Record(new DeviceTarget("lab-r1", "127.0.0.1", "frr", new DeviceCredential("admin")), member: "get_Target");
        public DriverCapabilities Capabilities => Record(DriverCapabilities.Rollback, member: "get_Capabilities");
        public bool IsUsable => Record(true, member: "get_IsUsable");
        public string Transcript => Record("transcript", member: "get_Transcript");
        public ConfigShape RunningConfigShape => Record(Shape, member: "get_RunningConfigShape");
        public IConfigInversion? Inversion => Record<IConfigInversion?>(null, member: "get_Inversion");

        public Task<string> SendCommandAsync(string command, CancellationToken ct) =>
            Task.FromResult(Record("out", "String,CancellationToken"));
        public Task<string> SendCommandAsync(string command, IReadOnlyList<CliAnswer> answers, CancellationToken ct) =>
            Task.FromResult(Record("out", "String,IReadOnlyList`1,CancellationToken"));
        public Task<IReadOnlyList<CommandOutput>> SendCommandsAsync(IEnumerable<string> commands, CancellationToken ct) =>
            Task.FromResult(Record<IReadOnlyList<CommandOutput>>([], "IEnumerable`1,CancellationToken"));
        public Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct) =>
            Task.FromResult(Record("ok", "IEnumerable`1,CancellationToken"));
        public Task<string> GetRunningConfigAsync(CancellationToken ct) => Task.FromResult(Record("hostname r1", "CancellationToken"));
        public Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct) =>
            Record(Task.CompletedTask, "String,ConfigLoadMode,CancellationToken");
        public Task<string> CompareAsync(CancellationToken ct) => Task.FromResult(Record("+x", "CancellationToken"));
        public Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null) => Record(Task.CompletedTask, "CancellationToken,Nullable`1");
        public Task ConfirmCommitAsync(CancellationToken ct) => Record(Task.CompletedTask, "CancellationToken");
        public Task DiscardAsync(CancellationToken ct) => Record(Task.CompletedTask, "CancellationToken");
        public Task RollbackAsync(CancellationToken ct) => Record(Task.CompletedTask, "CancellationToken");
        public Task<string?> RollbackUnavailableAsync(CancellationToken ct) =>
            Task.FromResult<string?>(Record("the platform keeps no rollback", "CancellationToken"));
        public Task<string> SaveConfigAsync(CancellationToken ct) => Task.FromResult(Record("[OK]", "CancellationToken"));
        public Task<FileChecksum?> FileChecksumAsync(string path, CancellationToken ct) =>
            Task.FromResult<FileChecksum?>(Record(Checksum, "String,CancellationToken"));

        public ValueTask DisposeAsync()
        {
            Calls.Add(nameof(DisposeAsync));
            return ValueTask.CompletedTask;
        }
    }
}
