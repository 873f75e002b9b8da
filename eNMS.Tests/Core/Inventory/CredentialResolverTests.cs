using eNMS.Core.Automation.Handlers;
using eNMS.Core.Inventory;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Inventory;

/// <summary>Which of a device's pool credentials a node logs in with, as the node's kind decides (<see cref="CredentialResolver.ChooseAsync"/>
/// with the <c>Writes</c> its handler declares).</summary>
public sealed class CredentialResolverTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task A_config_changing_kind_picks_the_read_write_credential_and_a_command_kind_the_higher_priority_read_only_one()
    {
        int device;
        await using (var db = _db.CreateDbContext())
        {
            var router = new Device { Name = "r1", Platform = "cisco_ios" };
            var pool = new Pool { Name = "core", Devices = [router] };
            db.Credentials.AddRange(
                new Credential { Name = "monitoring", Username = "ro", Priority = 10, Access = CredentialAccess.ReadOnly, Pools = [pool] },
                new Credential { Name = "changes", Username = "rw", Priority = 1, Access = CredentialAccess.ReadWrite, Pools = [pool] });
            await db.SaveChangesAsync();
            device = router.Id;
        }
        IServiceHandler config = new CliConfigHandler();
        IServiceHandler commands = new CliCommandsHandler(new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions())));
        var user = new AuditActor("alice", null);

        var chosen = new Dictionary<string, string?>();
        foreach (var (handler, parameters) in new[] { (config, """{"config": "ntp server 192.0.2.1"}"""), (commands, """{"commands": "show version"}""") })
        {
            var writes = handler.ChangesDevices(parameters);
            Assert.Equal(handler == config, writes);
            await using var db = _db.CreateDbContext();
            var choice = await CredentialResolver.ChooseAsync(db, device, new CredentialRequest(Writes: writes, User: user), CancellationToken.None);
            Assert.Null(choice.Refusal);
            chosen[handler.Kind] = choice.Credential?.Name;
        }
        Assert.Equal("changes", chosen["cli_config"]);
        Assert.Equal("monitoring", chosen["cli_commands"]);

        // A dry run changes nothing: it may use the higher-priority read-only credential too.
        await using (var db = _db.CreateDbContext())
        {
            var dryRun = config.ChangesDevices("""{"config": "ntp server 192.0.2.1", "dryRun": true}""");
            Assert.False(dryRun);
            Assert.Equal("monitoring", (await CredentialResolver.ChooseAsync(db, device, new CredentialRequest(Writes: dryRun, User: user), CancellationToken.None)).Credential?.Name);
        }
    }

    public void Dispose() => _db.Dispose();
}
