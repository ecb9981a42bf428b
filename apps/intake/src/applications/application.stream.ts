/** One stream per application; its id is the center's id for the center's whole life. */
export const applicationStream = (applicationId: string) => `application-${applicationId}`;
