using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Netconf;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>The NETCONF client against the lab's real netconfd (yuma123) over sshd's netconf subsystem: port 830 has a
/// candidate datastore, port 1830 writes running only.</summary>
[Collection(LabGroup.Name)]
public class NetconfConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Interfaces = "urn:ietf:params:xml:ns:yang:ietf-interfaces";

    private static NetconfFilter InterfaceFilter(string name) =>
        new(NetconfFilterType.Subtree, $"<interfaces xmlns=\"{Interfaces}\"><interface><name>{name}</name></interface></interfaces>");

    private static string Interface(string name, string description, string extra = "") =>
        $"<interfaces xmlns=\"{Interfaces}\"><interface><name>{name}</name>" +
        "<type xmlns:ianaift=\"urn:ietf:params:xml:ns:yang:iana-if-type\">ianaift:ethernetCsmacd</type>" +
        $"<description>{description}</description>{extra}</interface></interfaces>";

    private static string Delete(string name) =>
        $"<interfaces xmlns=\"{Interfaces}\"><interface xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\" nc:operation=\"delete\"><name>{name}</name></interface></interfaces>";

    private Task<NetconfSession> OpenAsync(int port = 830, NetconfOptions? options = null, KnownHosts? knownHosts = null) =>
        new DriverFactory(DriverRegistry.CreateDefault(), knownHosts ?? lab.KnownHosts) { Netconf = options ?? new NetconfOptions() }
            .ConnectNetconfAsync(LabFixture.NetconfServer(port), None);

    private static async Task<string> DescriptionAsync(NetconfSession session, NetconfDatastore datastore, string name) =>
        NetconfXml.Indented(await session.GetConfigAsync(datastore, InterfaceFilter(name), None));

    [LabFact]
    public async Task Capabilities_come_from_the_servers_hello_and_base_1_1_on_both_sides_means_chunked_framing()
    {
        lab.RequireLab();
        await using var candidate = await OpenAsync();
        await using var runningOnly = await OpenAsync(1830);

        Assert.Equal(NetconfFraming.Chunked, candidate.Framing);
        Assert.NotEmpty(candidate.SessionId);
        Assert.True(candidate.HasCandidate);
        Assert.True(candidate.HasConfirmedCommit);
        Assert.True(candidate.HasValidate);
        Assert.Contains(candidate.ServerCapabilities, c => c.StartsWith(Interfaces + "?module=ietf-interfaces", StringComparison.Ordinal));
        Assert.Contains(candidate.ServerCapabilities, c => c.StartsWith("urn:ietf:params:xml:ns:yang:ietf-system?module=ietf-system", StringComparison.Ordinal));
        Assert.False(runningOnly.HasCandidate);
        Assert.True(runningOnly.HasWritableRunning);
    }

    [LabFact]
    public async Task Framing_1_0_and_1_1_read_the_same_configuration()
    {
        lab.RequireLab();
        await using var base10 = await OpenAsync(options: new NetconfOptions { AnnounceBase11 = false });
        await using var base11 = await OpenAsync();

        var config10 = NetconfXml.Indented(await base10.GetConfigAsync(NetconfDatastore.Running, null, None));
        var config11 = NetconfXml.Indented(await base11.GetConfigAsync(NetconfDatastore.Running, null, None));

        Assert.Equal(NetconfFraming.EndOfMessage, base10.Framing);
        Assert.Equal(NetconfFraming.Chunked, base11.Framing);
        Assert.Contains("<hostname>nc-candidate</hostname>", config10, StringComparison.Ordinal);
        Assert.Contains("ianaift:ethernetCsmacd", config10, StringComparison.Ordinal);
        Assert.Equal(config10, config11);
    }

    [LabFact]
    public async Task A_first_rpc_that_reaches_netconfd_with_the_hello_is_answered_all_the_same()
    {
        // What a loaded machine does by chance, done on purpose: the hello and the first RPC in one write. netconfd then
        // sits on the RPC until more input comes; the session's no-op nudge is that input.
        lab.RequireLab();
        var target = LabFixture.NetconfServer();
        var channel = new HelloWithFirstRpc(await SshNetconfChannel.ConnectAsync(target, lab.KnownHosts, None));
        await using var session = await NetconfSession.OpenAsync(channel, target, new NetconfOptions { AnnounceBase11 = false }, null, None);

        Assert.Contains("<hostname>nc-candidate</hostname>", NetconfXml.Indented(await session.GetConfigAsync(NetconfDatastore.Running, null, None)), StringComparison.Ordinal);
        Assert.Contains("<hostname>nc-candidate</hostname>", NetconfXml.Indented(await session.GetConfigAsync(NetconfDatastore.Running, null, None)), StringComparison.Ordinal);
        // hello (held), hello + get-config, the nudge, get-config: netconfd answered the first only once nudged.
        Assert.Equal(4, channel.Writes);
    }

    /// <summary>Holds the client's hello and sends it with the next message, in one write.</summary>
    private sealed class HelloWithFirstRpc(INetconfChannel inner) : INetconfChannel
    {
        private byte[]? _hello;

        public int Writes { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
        {
            if (Writes++ == 0)
            {
                _hello = bytes.ToArray();
                return ValueTask.CompletedTask;
            }
            if (_hello is { } hello)
            {
                _hello = null;
                return inner.WriteAsync(hello.Concat(bytes.ToArray()).ToArray(), ct);
            }
            return inner.WriteAsync(bytes, ct);
        }

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct) => inner.ReadAsync(buffer, ct);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    [LabFact]
    public async Task Get_config_with_subtree_and_xpath_filters_returns_only_what_they_select()
    {
        lab.RequireLab();
        await using var session = await OpenAsync();

        var subtree = NetconfXml.ToModel(await session.GetConfigAsync(NetconfDatastore.Running,
            new NetconfFilter(NetconfFilterType.Subtree, "<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\"><hostname/></system>"), None));
        var xpath = NetconfXml.ToModel(await session.GetAsync(new NetconfFilter(NetconfFilterType.XPath,
            "<filter type=\"xpath\" xmlns:sys=\"urn:ietf:params:xml:ns:yang:ietf-system\" select=\"/sys:system/sys:hostname\"/>"), None));

        Assert.Equal(["system"], subtree.Keys);
        Assert.Equal("nc-candidate", Assert.IsType<Dictionary<string, object?>>(subtree["system"])["hostname"]);
        Assert.Equal(["system"], xpath.Keys);
    }

    [LabFact]
    public async Task An_edit_of_the_candidate_reaches_running_only_when_committed()
    {
        lab.RequireLab();
        await using var session = await OpenAsync();
        await session.LockAsync(NetconfDatastore.Candidate, None);
        try
        {
            await session.EditConfigAsync(NetconfDatastore.Candidate, Interface("eth-commit", "edited by eNMS"), NetconfDefaultOperation.Merge, None);

            Assert.Contains("edited by eNMS", await DescriptionAsync(session, NetconfDatastore.Candidate, "eth-commit"), StringComparison.Ordinal);
            Assert.Equal("", await DescriptionAsync(session, NetconfDatastore.Running, "eth-commit"));
            await session.CommitAsync(null, None);
            Assert.Contains("edited by eNMS", await DescriptionAsync(session, NetconfDatastore.Running, "eth-commit"), StringComparison.Ordinal);

            await session.EditConfigAsync(NetconfDatastore.Candidate, Delete("eth-commit"), NetconfDefaultOperation.None, None);
            await session.CommitAsync(null, None);
            Assert.Equal("", await DescriptionAsync(session, NetconfDatastore.Running, "eth-commit"));
        }
        finally
        {
            await session.UnlockAsync(NetconfDatastore.Candidate, None);
        }
    }

    [LabFact]
    public async Task A_valid_candidate_validates_and_discard_changes_drops_it()
    {
        lab.RequireLab();
        await using var session = await OpenAsync();

        await session.EditConfigAsync(NetconfDatastore.Candidate, Interface("eth-validate", "to be discarded"), NetconfDefaultOperation.Merge, None);
        await session.ValidateAsync(NetconfDatastore.Candidate, None);
        Assert.Contains("to be discarded", await DescriptionAsync(session, NetconfDatastore.Candidate, "eth-validate"), StringComparison.Ordinal);
        await session.DiscardChangesAsync(None);

        Assert.Equal("", await DescriptionAsync(session, NetconfDatastore.Candidate, "eth-validate"));
        Assert.Equal("", await DescriptionAsync(session, NetconfDatastore.Running, "eth-validate"));
    }

    [LabFact]
    public async Task A_lock_held_by_another_session_is_refused_with_lock_denied_naming_the_holder()
    {
        lab.RequireLab();
        await using var holder = await OpenAsync();
        await using var other = await OpenAsync();
        await holder.LockAsync(NetconfDatastore.Candidate, None);

        var refused = await Assert.ThrowsAsync<NetconfRpcException>(() => other.LockAsync(NetconfDatastore.Candidate, None));

        Assert.Equal("lock", refused.Operation);
        Assert.Equal("lock-denied", refused.Tag);
        Assert.Contains($"session-id {holder.SessionId}", refused.Message, StringComparison.Ordinal);
        Assert.True(other.IsUsable);
        await holder.UnlockAsync(NetconfDatastore.Candidate, None);
        await other.LockAsync(NetconfDatastore.Candidate, None);
        await other.UnlockAsync(NetconfDatastore.Candidate, None);
    }

    [LabFact]
    public async Task A_payload_the_schema_refuses_comes_back_as_an_rpc_error_with_the_servers_message_and_path()
    {
        lab.RequireLab();
        await using var session = await OpenAsync();

        var refused = await Assert.ThrowsAsync<NetconfRpcException>(() => session.EditConfigAsync(NetconfDatastore.Candidate,
            Interface("eth-bad", "x", "<enabled>maybe</enabled>"), NetconfDefaultOperation.Merge, None));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("invalid-value", error.Tag);
        Assert.Equal("invalid value", error.Message);
        Assert.EndsWith("/if:enabled", error.Path, StringComparison.Ordinal);
        Assert.Contains("refused: invalid value (path ", refused.Message, StringComparison.Ordinal);
        await session.DiscardChangesAsync(None);
        Assert.Equal("", await DescriptionAsync(session, NetconfDatastore.Candidate, "eth-bad"));
    }

    [LabFact]
    public async Task A_confirmed_commit_is_reverted_when_its_session_ends_unconfirmed()
    {
        lab.RequireLab();
        await using var observer = await OpenAsync();
        await using (var session = await OpenAsync())
        {
            await session.EditConfigAsync(NetconfDatastore.Candidate, Interface("eth-confirm", "pending confirmation"), NetconfDefaultOperation.Merge, None);
            await session.CommitAsync(TimeSpan.FromSeconds(120), None);
            Assert.Contains("pending confirmation", await DescriptionAsync(observer, NetconfDatastore.Running, "eth-confirm"), StringComparison.Ordinal);
        }

        // RFC 6241 §8.4.1: the session that made the confirmed commit ended without confirming it. netconfd reverts when
        // it notices the session gone, which on a loaded machine took more than 2 s: wait up to 10.
        var reverted = "";
        for (int attempt = 0; attempt < 100 && (reverted = await DescriptionAsync(observer, NetconfDatastore.Running, "eth-confirm")).Length > 0; attempt++)
        {
            await Task.Delay(100);
        }
        Assert.Equal("", reverted);
    }

    [LabFact]
    public async Task A_server_without_candidate_refuses_candidate_operations_before_sending_and_edits_running()
    {
        lab.RequireLab();
        await using var session = await OpenAsync(1830);

        var refused = await Assert.ThrowsAsync<NetconfCapabilityException>(() =>
            session.EditConfigAsync(NetconfDatastore.Candidate, Interface("eth-running", "direct"), NetconfDefaultOperation.Merge, None));
        await session.EditConfigAsync(NetconfDatastore.Running, Interface("eth-running", "direct"), NetconfDefaultOperation.Merge, None);

        Assert.Equal("nc-1830: NETCONF edit-config: the server does not announce :candidate (urn:ietf:params:netconf:capability:candidate:1.0), " +
            "so it has no candidate datastore; it announces :writable-running: edit the running datastore instead", refused.Message);
        Assert.Contains("direct", await DescriptionAsync(session, NetconfDatastore.Running, "eth-running"), StringComparison.Ordinal);
        await session.EditConfigAsync(NetconfDatastore.Running, Delete("eth-running"), NetconfDefaultOperation.None, None);
    }

    [LabFact]
    public async Task The_host_key_is_verified_and_a_port_without_the_netconf_subsystem_says_so()
    {
        lab.RequireLab();
        var pinned = new KnownHosts(HostKeyPolicy.Pinned);
        pinned.Pin("[10.255.0.200]:830", "SHA256:not-the-key");

        await Assert.ThrowsAsync<HostKeyMismatchException>(() => OpenAsync(knownHosts: pinned));
        var noSubsystem = await Assert.ThrowsAsync<DeviceConnectionException>(() =>
            new DriverFactory(DriverRegistry.CreateDefault(), lab.KnownHosts).ConnectNetconfAsync(LabFixture.LinuxHost(1), None));

        Assert.Contains("refused the 'netconf' SSH subsystem", noSubsystem.Message, StringComparison.Ordinal);
    }
}
