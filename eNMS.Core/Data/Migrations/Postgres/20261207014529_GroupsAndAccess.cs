using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GroupsAndAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "EditAccess",
                table: "Services",
                type: "text[]",
                nullable: false,
                // Existing services keep no list: their role decides, as before.
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Services",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReadAccess",
                table: "Services",
                type: "text[]",
                nullable: false,
                // Existing services keep no list: their role decides, as before.
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<List<string>>(
                name: "RunAccess",
                table: "Services",
                type: "text[]",
                nullable: false,
                // Existing services keep no list: their role decides, as before.
                defaultValueSql: "\'{}\'");

            migrationBuilder.CreateTable(
                name: "UserGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PoolIds = table.Column<List<int>>(type: "integer[]", nullable: false),
                    Members = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserGroups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UserGroups_Name",
                table: "UserGroups",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserGroups");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "RunAccess",
                table: "Services");
        }
    }
}
