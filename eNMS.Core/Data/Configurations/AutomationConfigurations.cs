using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> service)
    {
        service.HasIndex(s => s.Name).IsUnique();
        service.Property(s => s.Name).HasMaxLength(255);
        service.Property(s => s.Kind).HasMaxLength(64);
        service.Property(s => s.Version).IsConcurrencyToken();
        service.Property(s => s.IterateOver).HasMaxLength(10_000);
        service.Property(s => s.IterateDevices).HasMaxLength(10_000);
        // A deleted credential leaves its services to the device's credential, as it does its devices.
        service.HasOne<Inventory.Credential>().WithMany().HasForeignKey(s => s.CredentialId).OnDelete(DeleteBehavior.SetNull);
        // Declarations are read and written whole: one JSON text column.
        service.Property(s => s.Inputs).HasConversion(
            v => JsonSerializer.Serialize(v, ServiceJson.Options),
            v => JsonSerializer.Deserialize<List<InputField>>(v, ServiceJson.Options) ?? new List<InputField>(),
            new ValueComparer<List<InputField>>((a, b) => JsonSerializer.Serialize(a, ServiceJson.Options) == JsonSerializer.Serialize(b, ServiceJson.Options),
                v => JsonSerializer.Serialize(v, ServiceJson.Options).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<List<InputField>>(JsonSerializer.Serialize(v, ServiceJson.Options), ServiceJson.Options)!));
        service.OwnsOne(s => s.Graph, g =>
        {
            g.ToJson();
            g.OwnsMany(x => x.Nodes);
            g.OwnsMany(x => x.Edges);
            g.OwnsMany(x => x.Notes);
        });
    }
}

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> run)
    {
        // The runs list is newest first (by id) under each filter: an index per filter that ends with the id reads the
        // first page in order, on PostgreSQL as on SQLite (where every index ends with the rowid anyway).
        run.HasIndex(r => new { r.Status, r.Id });
        run.HasIndex(r => r.CreatedAt);
        run.HasIndex(r => new { r.ServiceId, r.Id });
        run.HasIndex(r => new { r.CreatedBy, r.Id });
        run.Property(r => r.Rollout).AsJson();
        run.Property(r => r.RolloutProgress).AsJson();
    }
}

internal sealed class RunResultConfiguration : IEntityTypeConfiguration<RunResult>
{
    public void Configure(EntityTypeBuilder<RunResult> result)
    {
        // A device's latest result at a node (the matrix, its counts): the later result is found in the index.
        result.HasIndex(r => new { r.RunId, r.Node, r.DeviceId, r.Id });
        result.HasIndex(r => new { r.ServiceId, r.DeviceId });
        // A device's run history: the runs that recorded a result on it, without reading a year of runs' targets.
        result.HasIndex(r => new { r.DeviceId, r.RunId });
        // The run page lists a run's results in recorded order a page at a time: without it, every page sorts the whole
        // run. The dashboard's failing devices search it too (the latest runs' ids, not a year of results).
        result.HasIndex(r => new { r.RunId, r.Id });
        result.Property(r => r.ExecutedOn).HasMaxLength(200);
        result.HasOne<Run>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RunLogConfiguration : IEntityTypeConfiguration<RunLogEntry>
{
    public void Configure(EntityTypeBuilder<RunLogEntry> log)
    {
        // The run page reads a run's latest lines by id.
        log.HasIndex(l => new { l.RunId, l.Id });
        log.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConfigVersionConfiguration : IEntityTypeConfiguration<ConfigVersion>
{
    public void Configure(EntityTypeBuilder<ConfigVersion> version)
    {
        version.HasIndex(v => new { v.DeviceId, v.Id });
        version.HasOne<eNMS.Core.Inventory.Device>().WithMany().HasForeignKey(v => v.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChangeSnapshotConfiguration : IEntityTypeConfiguration<ChangeSnapshot>
{
    public void Configure(EntityTypeBuilder<ChangeSnapshot> snapshot)
    {
        snapshot.HasIndex(s => new { s.RunId, s.DeviceId }).IsUnique();
        // "Changed again since?" asks for a device's later snapshots.
        snapshot.HasIndex(s => new { s.DeviceId, s.RunId });
        snapshot.Property(s => s.DeviceName).HasMaxLength(300);
        snapshot.Property(s => s.Problem).HasMaxLength(2000);
        // Purged with its run (retention) and its device.
        snapshot.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        snapshot.HasOne<eNMS.Core.Inventory.Device>().WithMany().HasForeignKey(s => s.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Cluster-wide caps (<see cref="Automation.Execution.ClusterLeases"/>); used on PostgreSQL only, the SQLite table stays empty.</summary>
internal sealed class SessionLeaseConfiguration : IEntityTypeConfiguration<Automation.Execution.SessionLease>
{
    public void Configure(EntityTypeBuilder<Automation.Execution.SessionLease> lease)
    {
        lease.HasKey(l => new { l.Scope, l.Slot });
        lease.Property(l => l.Scope).HasMaxLength(300);
        lease.Property(l => l.Holder).HasMaxLength(200);
        // Renewals update a holder's rows; the sweep deletes long-expired ones.
        lease.HasIndex(l => l.Holder);
        lease.HasIndex(l => l.ExpiresAt);
    }
}

internal sealed class SharedCapConfiguration : IEntityTypeConfiguration<Automation.Execution.SharedCap>
{
    public void Configure(EntityTypeBuilder<Automation.Execution.SharedCap> cap)
    {
        cap.HasKey(c => c.Scope);
        cap.Property(c => c.Scope).HasMaxLength(300);
        cap.Property(c => c.Reason).HasMaxLength(200);
        cap.Property(c => c.LoweredBy).HasMaxLength(200);
        cap.HasIndex(c => c.RunId);
    }
}

internal sealed class KnownHostKeyConfiguration : IEntityTypeConfiguration<Automation.Execution.KnownHostKey>
{
    public void Configure(EntityTypeBuilder<Automation.Execution.KnownHostKey> key)
    {
        key.HasIndex(k => k.Host).IsUnique();
        key.Property(k => k.Host).HasMaxLength(300);
        key.Property(k => k.Fingerprint).HasMaxLength(100);
        key.Property(k => k.Algorithm).HasMaxLength(100);
        key.Property(k => k.PinnedBy).HasMaxLength(256);
        key.Property(k => k.OfferedFingerprint).HasMaxLength(100);
        key.Property(k => k.OfferedAlgorithm).HasMaxLength(100);
        key.Property(k => k.OfferedDevice).HasMaxLength(255);
    }
}

internal sealed class ApprovalDecisionConfiguration : IEntityTypeConfiguration<Automation.Approvals.ApprovalDecision>
{
    public void Configure(EntityTypeBuilder<Automation.Approvals.ApprovalDecision> decision)
    {
        decision.HasIndex(d => new { d.RunId, d.Node, d.DeviceId });
        decision.HasOne<Run>().WithMany().HasForeignKey(d => d.RunId).OnDelete(DeleteBehavior.Cascade);
        decision.Property(d => d.Node).HasMaxLength(1000);
        decision.Property(d => d.DeviceName).HasMaxLength(255);
        decision.Property(d => d.PreviewNode).HasMaxLength(1000);
        decision.Property(d => d.Approvers).HasMaxLength(2000);
        decision.Property(d => d.DecidedBy).HasMaxLength(256);
        decision.Property(d => d.Comment).HasMaxLength(1000);
        decision.Property(d => d.Decision).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
    }
}
