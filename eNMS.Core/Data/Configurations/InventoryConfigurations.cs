using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> device)
    {
        device.HasIndex(d => d.Name).IsUnique();
        // Column lengths are the field catalog's, so the import and the API refuse what the database would.
        foreach (var field in InventoryFields.Device.All.Where(f => f.MaxLength is not null))
        {
            device.Property(field.Property).HasMaxLength(field.MaxLength!.Value);
        }
        // Columns the device grid sorts and filters on at 100,000 rows.
        device.HasIndex(d => d.Address);
        device.HasIndex(d => d.Platform);
        device.HasIndex(d => d.Vendor);
        device.HasIndex(d => d.Location);
        device.OwnsMany(d => d.CustomProperties, p => p.ToJson());
        device.HasOne(d => d.Credential).WithMany().OnDelete(DeleteBehavior.SetNull);
        device.HasMany(d => d.Pools).WithMany(p => p.Devices).UsingEntity("PoolDevices");
        device.HasMany(d => d.Gateways).WithOne(g => g.Device).HasForeignKey(g => g.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeviceGatewayConfiguration : IEntityTypeConfiguration<DeviceGateway>
{
    public void Configure(EntityTypeBuilder<DeviceGateway> gateway)
    {
        gateway.HasKey(g => new { g.DeviceId, g.GatewayId });
        // A deleted gateway leaves its devices dialled through their other gateways (or directly).
        gateway.HasOne(g => g.Gateway).WithMany().HasForeignKey(g => g.GatewayId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LinkConfiguration : IEntityTypeConfiguration<Link>
{
    public void Configure(EntityTypeBuilder<Link> link)
    {
        link.HasIndex(l => l.Name).IsUnique();
        foreach (var field in InventoryFields.Link.All.Where(f => f.MaxLength is not null))
        {
            link.Property(field.Property).HasMaxLength(field.MaxLength!.Value);
        }
        link.HasOne(l => l.Source).WithMany().HasForeignKey(l => l.SourceId).OnDelete(DeleteBehavior.Cascade);
        link.HasOne(l => l.Destination).WithMany().HasForeignKey(l => l.DestinationId).OnDelete(DeleteBehavior.Cascade);
        link.OwnsMany(l => l.CustomProperties, p => p.ToJson());
        link.HasMany(l => l.Pools).WithMany(p => p.Links).UsingEntity("PoolLinks");
    }
}

internal sealed class PoolConfiguration : IEntityTypeConfiguration<Pool>
{
    public void Configure(EntityTypeBuilder<Pool> pool)
    {
        pool.HasIndex(p => p.Name).IsUnique();
        pool.Property(p => p.Name).HasMaxLength(InventoryFields.NameLength);
        pool.OwnsMany(p => p.Criteria, c => c.ToJson());
    }
}

internal sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public void Configure(EntityTypeBuilder<Credential> credential)
    {
        credential.HasIndex(c => c.Name).IsUnique();
        credential.Property(c => c.Name).HasMaxLength(InventoryFields.NameLength);
        credential.Ignore(c => c.HasPassword);
        credential.Ignore(c => c.HasPrivateKey);
        credential.Ignore(c => c.HasEnableSecret);
        credential.Ignore(c => c.SecretNeeded);
        credential.HasMany(c => c.Pools).WithMany(p => p.Credentials).UsingEntity("CredentialPools");
    }
}
