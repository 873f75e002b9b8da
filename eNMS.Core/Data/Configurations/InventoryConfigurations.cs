using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace eNMS.Core.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> device)
    {
        device.HasIndex(d => d.Name).IsUnique();
        device.Property(d => d.Name).HasMaxLength(255);
        device.Property(d => d.Address).HasMaxLength(255);
        device.Property(d => d.Platform).HasMaxLength(64);
        // Columns the device grid sorts and filters on at 100,000 rows.
        device.HasIndex(d => d.Address);
        device.HasIndex(d => d.Platform);
        device.HasIndex(d => d.Vendor);
        device.HasIndex(d => d.Location);
        device.OwnsMany(d => d.CustomProperties, p => p.ToJson());
        device.HasOne(d => d.Credential).WithMany().OnDelete(DeleteBehavior.SetNull);
        device.HasMany(d => d.Pools).WithMany(p => p.Devices).UsingEntity("PoolDevices");
    }
}

internal sealed class LinkConfiguration : IEntityTypeConfiguration<Link>
{
    public void Configure(EntityTypeBuilder<Link> link)
    {
        link.HasIndex(l => l.Name).IsUnique();
        link.Property(l => l.Name).HasMaxLength(255);
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
        pool.Property(p => p.Name).HasMaxLength(255);
        pool.OwnsMany(p => p.Criteria, c => c.ToJson());
    }
}

internal sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public void Configure(EntityTypeBuilder<Credential> credential)
    {
        credential.HasIndex(c => c.Name).IsUnique();
        credential.Property(c => c.Name).HasMaxLength(255);
        credential.Ignore(c => c.HasPassword);
        credential.Ignore(c => c.HasPrivateKey);
        credential.Ignore(c => c.HasEnableSecret);
        credential.HasMany(c => c.Pools).WithMany(p => p.Credentials).UsingEntity("CredentialPools");
    }
}
